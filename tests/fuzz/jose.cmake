# Fuzzes the JOSE parsers (compact JWS, JWKS, strict JSON, base64url) and the JWT verifier.
gatehouse_add_fuzzer(NAME fuzz_jose SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_jose.cpp LIBS gatehouse-core
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/jose)
