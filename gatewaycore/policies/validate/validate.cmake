# Request/response validation: a JSON Schema validator (OpenAPI 3.0/3.1 vocabulary) and the
# validate-request / validate-response policies built on it.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/jsonschema.h ${CMAKE_CURRENT_LIST_DIR}/jsonschemanode.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonschema.cpp ${CMAKE_CURRENT_LIST_DIR}/jsonschemavalidate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonschemaformats.cpp
)
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/operationschemas.h ${CMAKE_CURRENT_LIST_DIR}/operationschemas.cpp
    ${CMAKE_CURRENT_LIST_DIR}/validatepolicies.h ${CMAKE_CURRENT_LIST_DIR}/validatepolicies.cpp
)
