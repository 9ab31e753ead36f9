# Metrics through the real gateway: GET /metrics scraped and parsed with prometheus_client.
gatehouse_add_integration_test(tst_metrics)
target_include_directories(tst_metrics PRIVATE ${PROJECT_SOURCE_DIR}/tests/gatewaycore/telemetry)
