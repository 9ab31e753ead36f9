# Project loading, cross-checks and compilation into a GatewayConfig (router lives in ../proxy).
target_sources(gatehouse-core PRIVATE
    project.cpp
    validate.cpp
    gatewayconfig.h gatewayconfig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../proxy/router.h ${CMAKE_CURRENT_LIST_DIR}/../proxy/router.cpp
)
