# Loading the big corpus specs (docker-engine, twilio): run tests/bench/openapi-load.sh BUILD_DIR.
add_executable(bench_openapi_load ${CMAKE_CURRENT_SOURCE_DIR}/openapi_load.cpp)
# yaml-cpp directly too: the bare parser is the reference the loader is compared with.
target_link_libraries(bench_openapi_load PRIVATE gatehouse-core yaml-cpp)
gatehouse_set_warnings(bench_openapi_load)
