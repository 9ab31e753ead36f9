# Authentication and authorization through the real gateway (Basic, scopes, optional security).
gatehouse_add_integration_test(tst_authentication)
gatehouse_add_integration_test(tst_mtls)
gatehouse_add_integration_test(tst_introspection)
gatehouse_add_integration_test(tst_usercommand)
