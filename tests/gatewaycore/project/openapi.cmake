# OpenAPI loader: corpus, model, $refs, extensions and every diagnostic (ctest -R "openapi|sourcedocument").
gatehouse_add_test(NAME tst_openapiloader SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_openapiloader.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_openapidiagnostics SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_openapidiagnostics.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_openapirefs SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_openapirefs.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_openapiextensions SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_openapiextensions.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_sourcedocument SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_sourcedocument.cpp LIBS gatehouse-core)
