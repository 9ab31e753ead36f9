# Body policies through the real gateway: validate-request/-response, json-to-xml/xml-to-json,
# hostile and over-limit bodies, HTTP/1.1 and HTTP/2 (curl), streaming kept where none apply.
gatehouse_add_integration_test(tst_bodypolicies)
