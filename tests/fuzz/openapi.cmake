# Fuzzes the OpenAPI loader (YAML/JSON parsing, $refs across files, extensions) from small seeds.
gatehouse_add_fuzzer(NAME fuzz_openapi SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_openapi.cpp
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/openapi DICT ${CMAKE_CURRENT_SOURCE_DIR}/openapi.dict)
