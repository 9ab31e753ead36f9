# The .proto loader's tests; data under data/proto/ (one project folder per case).
gatehouse_add_test(NAME tst_protoloader SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_protoloader.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/prototesthelpers.h LIBS gatehouse-core)
gatehouse_add_test(NAME tst_protosources SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_protosources.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/prototesthelpers.h LIBS gatehouse-core)
