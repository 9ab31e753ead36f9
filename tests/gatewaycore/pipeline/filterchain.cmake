gatehouse_add_test(NAME tst_filterchain SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_filterchain.cpp LIBS gatehouse-core)
