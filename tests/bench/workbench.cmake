# The workbench's UI-thread cost of live metrics: build/ci/tests/bench/bench_workbench_charts.
if(TARGET gatehouse-app)
    add_executable(bench_workbench_charts ${CMAKE_CURRENT_SOURCE_DIR}/workbench_charts.cpp)
    target_link_libraries(bench_workbench_charts PRIVATE gatehouse-app)
    gatehouse_set_warnings(bench_workbench_charts)
endif()
