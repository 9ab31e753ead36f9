# Metrics: per-worker shards, the registry that aggregates them, process metrics, and the
# Prometheus text / OpenMetrics writers.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/histogramtable.h ${CMAKE_CURRENT_LIST_DIR}/histogramtable.cpp
    ${CMAKE_CURRENT_LIST_DIR}/metricfamily.h
    ${CMAKE_CURRENT_LIST_DIR}/metricsregistry.h ${CMAKE_CURRENT_LIST_DIR}/metricsregistry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/metricsshard.h ${CMAKE_CURRENT_LIST_DIR}/metricsshard.cpp
    ${CMAKE_CURRENT_LIST_DIR}/processmetrics.h ${CMAKE_CURRENT_LIST_DIR}/processmetrics.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prometheuswriter.h ${CMAKE_CURRENT_LIST_DIR}/prometheuswriter.cpp
)
# The access log: per-worker queues drained by a writer thread.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/accesslog.h ${CMAKE_CURRENT_LIST_DIR}/accesslog.cpp
)
