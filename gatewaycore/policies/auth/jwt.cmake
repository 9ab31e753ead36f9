# JWT bearer tokens and gateway-issued API keys (verification lives in gatewaycore/security).
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/jwtauthenticator.h ${CMAKE_CURRENT_LIST_DIR}/jwtauthenticator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/apikeyauthenticator.h ${CMAKE_CURRENT_LIST_DIR}/apikeyauthenticator.cpp
)
