# Fuzzes the reading of RFC 7662 introspection answers (the key managers' JSON).
gatehouse_add_fuzzer(NAME fuzz_introspection SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_introspection.cpp
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/introspection)
