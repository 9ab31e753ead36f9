# mock-response and deny: answers in the gateway's name.
target_sources(gatehouse-core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mockpolicies.h ${CMAKE_CURRENT_LIST_DIR}/mockpolicies.cpp)
