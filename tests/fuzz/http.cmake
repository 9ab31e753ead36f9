# Fuzzes the HTTP/1.1 parser in both roles; seeds come from llhttp's cases (fuzz_http1seeds.py).
gatehouse_add_fuzzer(NAME fuzz_http1request
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_http1request.cpp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_http1common.h
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/http1 DICT ${CMAKE_CURRENT_SOURCE_DIR}/http1.dict)
gatehouse_add_fuzzer(NAME fuzz_http1response
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_http1response.cpp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_http1common.h
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/http1 DICT ${CMAKE_CURRENT_SOURCE_DIR}/http1.dict)
