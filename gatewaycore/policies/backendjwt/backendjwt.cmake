# backend-jwt: the caller's identity forwarded as a JWT signed with the gateway's own key.
target_sources(gatehouse-core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/backendjwtpolicy.h ${CMAKE_CURRENT_LIST_DIR}/backendjwtpolicy.cpp)
