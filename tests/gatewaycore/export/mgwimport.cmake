# WSO2 MGW 3.x import: the TOML reader and the importer over the sample project in data/mgw-petstore.
gatehouse_add_test(NAME tst_tomldocument SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_tomldocument.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_mgwimport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_mgwimport.cpp LIBS gatehouse-core)
