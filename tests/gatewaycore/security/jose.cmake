# JOSE: encodings, JWKs, JWS scored against Wycheproof and RFC 7520 (GATEHOUSE_CORPUS).
gatehouse_add_test(NAME tst_jose SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_jose.cpp LIBS gatehouse-core)
target_link_libraries(tst_jose PRIVATE OpenSSL::Crypto)
