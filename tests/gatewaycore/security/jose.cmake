# JOSE: encodings, JWKs, JWS scored against Wycheproof and RFC 7520 (GATEHOUSE_CORPUS).
gatehouse_add_test(NAME tst_jose SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_jose.cpp LIBS gatehouse-core)
target_link_libraries(tst_jose PRIVATE OpenSSL::Crypto)
# JWT: claims, issuers, cache, the API-key issuer and revocation; interop with /usr/bin/python3 + python3-jwt.
gatehouse_add_test(NAME tst_jwt SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_jwt.cpp LIBS gatehouse-core)
target_link_libraries(tst_jwt PRIVATE OpenSSL::Crypto)
# JWKS URLs: background fetch, bounded refetch, last good keys kept (a loopback endpoint).
gatehouse_add_test(NAME tst_jwksfetcher SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_jwksfetcher.cpp LIBS gatehouse-core)
target_link_libraries(tst_jwksfetcher PRIVATE OpenSSL::Crypto)
