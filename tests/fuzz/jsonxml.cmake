# Fuzzes JSON <-> XML: any bytes as XML (and, when they parse, back to XML), and as JSON to XML.
gatehouse_add_fuzzer(NAME fuzz_jsonxml SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_jsonxml.cpp
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/jsonxml)
