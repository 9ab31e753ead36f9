# Metrics: the exposition writers (checked with promtool and python3-prometheus-client) and the
# registry with its per-worker shards.
gatehouse_add_test(NAME tst_prometheuswriter SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_prometheuswriter.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/metricscheck.h LIBS gatehouse-core COST 10)
gatehouse_add_test(NAME tst_metricsregistry SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_metricsregistry.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/metricscheck.h LIBS gatehouse-core)
