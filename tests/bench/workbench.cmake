# The workbench's UI-thread cost of live metrics: build/ci/tests/bench/bench_workbench_charts.
if(TARGET gatehouse-app)
    add_executable(bench_workbench_charts ${CMAKE_CURRENT_SOURCE_DIR}/workbench_charts.cpp)
    target_link_libraries(bench_workbench_charts PRIVATE gatehouse-app)
    gatehouse_set_warnings(bench_workbench_charts)
endif()

# The workbench under a steady load through its embedded gateway: build/ci/tests/bench/bench_workbench_load.
if(TARGET gatehouse-app)
    add_executable(bench_workbench_load ${CMAKE_CURRENT_SOURCE_DIR}/workbench_load.cpp)
    target_link_libraries(bench_workbench_load PRIVATE gatehouse-app)
    gatehouse_set_warnings(bench_workbench_load)
endif()
