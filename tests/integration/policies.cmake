# Policies through the real gateway: headers both ways, CORS (with curl), mock-response, Lua
# interceptors and their limits, and `gatehoused check` diagnostics.
gatehouse_add_integration_test(tst_policies)
