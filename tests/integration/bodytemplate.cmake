# body-template through the real gateway: JSON built for the upstream (hostile values stay values),
# 400 for a body that is not JSON, a JSON response turned into escaped XML, `gatehoused check`.
gatehouse_add_integration_test(tst_bodytemplateproxy)
