# JWT bearer tokens (minted by python3-jwt) and gateway-issued API keys through the real gateway.
gatehouse_add_integration_test(tst_security)
target_link_libraries(tst_security PRIVATE OpenSSL::Crypto)
