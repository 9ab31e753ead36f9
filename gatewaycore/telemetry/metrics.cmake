# Metrics: the Prometheus text / OpenMetrics writers.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/metricfamily.h
    ${CMAKE_CURRENT_LIST_DIR}/prometheuswriter.h ${CMAKE_CURRENT_LIST_DIR}/prometheuswriter.cpp
)
