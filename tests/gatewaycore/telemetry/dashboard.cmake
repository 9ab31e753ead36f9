# The shipped Grafana dashboard and Prometheus scrape example, checked against the metrics exposed.
gatehouse_add_test(NAME tst_grafanadashboard SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_grafanadashboard.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/metricscheck.h LIBS gatehouse-core)
