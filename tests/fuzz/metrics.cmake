# Fuzzes the metrics writers (Prometheus text, OpenMetrics) with hostile names, label values and help.
gatehouse_add_fuzzer(NAME fuzz_metrics SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_metrics.cpp
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/metrics)
