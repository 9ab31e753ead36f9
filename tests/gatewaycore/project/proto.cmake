# The .proto loader's tests; data under data/proto/ (one project folder per case).
gatehouse_add_test(NAME tst_protoloader SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_protoloader.cpp
    LIBS gatehouse-core)
