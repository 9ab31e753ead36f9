# Loading + compiling a generated 1,000-operation project: run bench_project_compile [-n RUNS] [OPS].
add_executable(bench_project_compile ${CMAKE_CURRENT_SOURCE_DIR}/project_compile.cpp)
target_link_libraries(bench_project_compile PRIVATE gatehouse-core)
gatehouse_set_warnings(bench_project_compile)
