gatehouse_add_test(NAME tst_passwordhash SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_passwordhash.cpp LIBS gatehouse-core)
