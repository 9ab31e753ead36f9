# Body policies' costs per request: JSON->XML of a 10 KiB body, schema validation (run
# tests/bench/body-policies.sh BUILD_DIR).
add_executable(bench_body_policies ${CMAKE_CURRENT_SOURCE_DIR}/body_policies.cpp)
target_link_libraries(bench_body_policies PRIVATE gatehouse-core)
gatehouse_set_warnings(bench_body_policies)
