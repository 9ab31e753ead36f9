# Metrics through the real gateway: GET /metrics scraped and parsed with prometheus_client.
gatehouse_add_integration_test(tst_metrics)
target_include_directories(tst_metrics PRIVATE ${PROJECT_SOURCE_DIR}/tests/gatewaycore/telemetry)
# Tracing through the real gateway: traceparent propagation, Server-Timing, OTLP export to a
# collector in the test (bodies parsed with protobuf over the corpus' OTLP protos), traceBatch.
gatehouse_add_integration_test(tst_tracing SOURCES ${PROJECT_SOURCE_DIR}/tests/gatewaycore/telemetry/otlpcollector.h)
target_include_directories(tst_tracing PRIVATE ${PROJECT_SOURCE_DIR}/tests/gatewaycore/telemetry)
target_link_libraries(tst_tracing PRIVATE protobuf::libprotobuf protobuf::libprotoc)
# Request capture for Replay: in traceBatch only, never in the OTLP export or the access log.
gatehouse_add_integration_test(tst_capture SOURCES ${PROJECT_SOURCE_DIR}/tests/gatewaycore/telemetry/otlpcollector.h)
target_include_directories(tst_capture PRIVATE ${PROJECT_SOURCE_DIR}/tests/gatewaycore/telemetry)
target_link_libraries(tst_capture PRIVATE protobuf::libprotobuf protobuf::libprotoc)
