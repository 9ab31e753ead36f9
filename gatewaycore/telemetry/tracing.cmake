# Tracing: W3C trace context, the per-request span recorder, the per-worker ring of recent traces
# the opt-in capture of requests for Replay and the OTLP/HTTP JSON exporter.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/tracecontext.h ${CMAKE_CURRENT_LIST_DIR}/tracecontext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tracerecord.h
    ${CMAKE_CURRENT_LIST_DIR}/requesttrace.h ${CMAKE_CURRENT_LIST_DIR}/requesttrace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ringslots.h
    ${CMAKE_CURRENT_LIST_DIR}/tracering.h ${CMAKE_CURRENT_LIST_DIR}/tracering.cpp
    ${CMAKE_CURRENT_LIST_DIR}/requestcapture.h ${CMAKE_CURRENT_LIST_DIR}/requestcapture.cpp
    ${CMAKE_CURRENT_LIST_DIR}/otlpexporter.h ${CMAKE_CURRENT_LIST_DIR}/otlpexporter.cpp
)
