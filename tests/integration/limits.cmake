# Data-plane limits through the real gateway.
gatehouse_add_integration_test(tst_connectionlimit)
