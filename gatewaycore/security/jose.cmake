# JOSE over OpenSSL: strict encodings, JWK/JWKS, JWS compact sign/verify.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/joseencoding.h ${CMAKE_CURRENT_LIST_DIR}/joseencoding.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jwk.h ${CMAKE_CURRENT_LIST_DIR}/jwk.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jws.h ${CMAKE_CURRENT_LIST_DIR}/jws.cpp
)
