# Lua interceptors: the sandbox (memory cap, instruction budget), the per-worker filter, the policy.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/luasandbox.h ${CMAKE_CURRENT_LIST_DIR}/luasandbox.cpp
    ${CMAKE_CURRENT_LIST_DIR}/luapattern.h ${CMAKE_CURRENT_LIST_DIR}/luapattern.cpp
    ${CMAKE_CURRENT_LIST_DIR}/luafilter.h ${CMAKE_CURRENT_LIST_DIR}/luafilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/luapolicy.h ${CMAKE_CURRENT_LIST_DIR}/luapolicy.cpp
)
