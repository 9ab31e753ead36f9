# OpenAPI loader: corpus, model, $refs, extensions and every diagnostic (ctest -R "openapi|sourcedocument").
gatehouse_add_test(NAME tst_openapiloader SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_openapiloader.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_openapidiagnostics SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_openapidiagnostics.cpp LIBS gatehouse-core)
