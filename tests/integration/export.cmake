# Export: bundles served by the real gatehoused; OCI images checked with skopeo and umoci.
gatehouse_add_integration_test(tst_export TIMEOUT 240)
gatehouse_add_integration_test(tst_exportimage SLOW TIMEOUT 600 COST 50 PROCESSORS 2)
