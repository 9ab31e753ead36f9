# Metrics snapshots: the shards' counters copied into plain values for the workbench's charts.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/metricssnapshot.h ${CMAKE_CURRENT_LIST_DIR}/metricssnapshot.cpp
)
