# EpollEventDispatcher vs Qt's dispatcher under wrk: run tests/bench/dispatcher.sh BUILD_DIR.
add_executable(bench_dispatcher_responder ${CMAKE_CURRENT_SOURCE_DIR}/dispatcher_responder.cpp)
target_link_libraries(bench_dispatcher_responder PRIVATE gatehouse-core Qt6::Network)
gatehouse_set_warnings(bench_dispatcher_responder)
