# JOSE over OpenSSL: strict encodings, JWK/JWKS, JWS compact sign/verify.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/joseencoding.h ${CMAKE_CURRENT_LIST_DIR}/joseencoding.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jwk.h ${CMAKE_CURRENT_LIST_DIR}/jwk.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jws.h ${CMAKE_CURRENT_LIST_DIR}/jws.cpp
)
# JWT validation across issuers, key sources (files, PEM, secrets, JWKS URLs), the gateway's issuer.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/jwtclaims.h ${CMAKE_CURRENT_LIST_DIR}/jwtclaims.cpp
    ${CMAKE_CURRENT_LIST_DIR}/constanttime.h ${CMAKE_CURRENT_LIST_DIR}/constanttime.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenverifier.h ${CMAKE_CURRENT_LIST_DIR}/tokenverifier.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jwksfetcher.h ${CMAKE_CURRENT_LIST_DIR}/jwksfetcher.cpp
    ${CMAKE_CURRENT_LIST_DIR}/revocationlist.h ${CMAKE_CURRENT_LIST_DIR}/revocationlist.cpp
    ${CMAKE_CURRENT_LIST_DIR}/apikeyissuer.h ${CMAKE_CURRENT_LIST_DIR}/apikeyissuer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/apikeyrequest.h ${CMAKE_CURRENT_LIST_DIR}/apikeyrequest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenservices.h ${CMAKE_CURRENT_LIST_DIR}/tokenservices.cpp
)
