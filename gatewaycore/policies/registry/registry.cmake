# The policy registry (declarations, settings schemas, validation) and the interceptor stage.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/settingsschema.h ${CMAKE_CURRENT_LIST_DIR}/settingsschema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/policyregistry.h ${CMAKE_CURRENT_LIST_DIR}/policyregistry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/policychainfilter.h ${CMAKE_CURRENT_LIST_DIR}/policychainfilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/policysandbox.h ${CMAKE_CURRENT_LIST_DIR}/policysandbox.cpp
)
