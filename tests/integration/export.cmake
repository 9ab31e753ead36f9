# Export: bundles served by the real gatehoused.
gatehouse_add_integration_test(tst_export TIMEOUT 240)
