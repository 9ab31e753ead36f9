# Authentication (OR of ANDs over the schemes' authenticators) and authorization (scopes).
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/apikeyendpointfilter.h ${CMAKE_CURRENT_LIST_DIR}/apikeyendpointfilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/authenticator.h
    ${CMAKE_CURRENT_LIST_DIR}/authenticationfilter.h ${CMAKE_CURRENT_LIST_DIR}/authenticationfilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/basicauthenticator.h ${CMAKE_CURRENT_LIST_DIR}/basicauthenticator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/introspectionauthenticator.h ${CMAKE_CURRENT_LIST_DIR}/introspectionauthenticator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/mtlsauthenticator.h ${CMAKE_CURRENT_LIST_DIR}/mtlsauthenticator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scopefilter.h ${CMAKE_CURRENT_LIST_DIR}/scopefilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tokenauthenticator.h ${CMAKE_CURRENT_LIST_DIR}/tokenauthenticator.cpp
)
