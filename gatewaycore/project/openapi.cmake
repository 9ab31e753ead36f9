# OpenAPI 2.0/3.0/3.1 loader: YAML/JSON with positions, $ref resolution, operations, security, extensions.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/apimodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sourcedocument.h ${CMAKE_CURRENT_LIST_DIR}/sourcedocument.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sourcedocumentreaders.h
    ${CMAKE_CURRENT_LIST_DIR}/sourcedocumentyaml.cpp ${CMAKE_CURRENT_LIST_DIR}/sourcedocumentjson.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapiloader.h ${CMAKE_CURRENT_LIST_DIR}/openapiloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapicontext.h ${CMAKE_CURRENT_LIST_DIR}/openapicontext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapirefs.h ${CMAKE_CURRENT_LIST_DIR}/openapirefs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapistructure.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapisecurity.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapioperations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapiparameters.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapiextensions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openapiendpoints.cpp
)
