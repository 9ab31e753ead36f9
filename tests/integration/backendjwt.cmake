# backend-jwt through the real gateway: the forwarded token verified by python3-jwt against the
# gateway's JWKS, claims checked, reuse per caller, no header without a caller, no replay as API key.
gatehouse_add_integration_test(tst_backendjwtproxy)
