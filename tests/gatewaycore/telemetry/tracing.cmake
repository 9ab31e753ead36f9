# Tracing: W3C trace context, the span recorder and ring, the OTLP/HTTP JSON exporter (its JSON
# checked against the OTLP protos of the shared corpus with protobuf's JSON parser).
gatehouse_add_test(NAME tst_tracecontext SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_tracecontext.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_requesttrace SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_requesttrace.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_otlpexporter
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_otlpexporter.cpp ${CMAKE_CURRENT_SOURCE_DIR}/otlpcollector.h
    LIBS gatehouse-core Qt6::Network protobuf::libprotobuf protobuf::libprotoc)
gatehouse_add_test(NAME tst_requestcapture SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_requestcapture.cpp LIBS gatehouse-core)
