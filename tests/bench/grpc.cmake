# gRPC benchmark upstream (tests/bench/grpc): a grpc++ echo server, built when grpc++ is installed
# (Debian libgrpc++-dev).
pkg_check_modules(GRPCPP IMPORTED_TARGET grpc++)
if(GRPCPP_FOUND)
    add_executable(bench_grpc_echo_server ${CMAKE_CURRENT_SOURCE_DIR}/grpc_echo_server.cpp)
    target_link_libraries(bench_grpc_echo_server PRIVATE PkgConfig::GRPCPP)
    gatehouse_set_warnings(bench_grpc_echo_server)
endif()
