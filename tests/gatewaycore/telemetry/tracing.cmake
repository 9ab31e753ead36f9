# Tracing: W3C trace context, the span recorder and the ring of recent traces.
gatehouse_add_test(NAME tst_tracecontext SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_tracecontext.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_requesttrace SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_requesttrace.cpp LIBS gatehouse-core)
