# HTTP/1.1 parser throughput on a browser-like request: run bench_http1_parse [iterations].
add_executable(bench_http1_parse ${CMAKE_CURRENT_SOURCE_DIR}/http1_parse.cpp)
target_link_libraries(bench_http1_parse PRIVATE gatehouse-core)
gatehouse_set_warnings(bench_http1_parse)
