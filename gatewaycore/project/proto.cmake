# The .proto loader (protobuf's compiler::Importer, part of libprotobuf) and the option files it compiles in as a Qt resource.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/protoloader.h ${CMAKE_CURRENT_LIST_DIR}/protoloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/protooptions.h ${CMAKE_CURRENT_LIST_DIR}/protooptions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/protosourcetree.h ${CMAKE_CURRENT_LIST_DIR}/protosourcetree.cpp)
# Embedded so an installed gatehoused needs no source tree; $GATEHOUSE_RESOURCES_DIR/proto overrides.
set(_protoDir ${PROJECT_SOURCE_DIR}/resources/proto)
qt_add_resources(gatehouse-core gatehouse_protos
    PREFIX /gatehouse/proto
    BASE ${_protoDir}
    FILES ${_protoDir}/gatehouse/options.proto ${_protoDir}/wso2_options.proto
          ${_protoDir}/google/api/annotations.proto ${_protoDir}/google/api/http.proto)
