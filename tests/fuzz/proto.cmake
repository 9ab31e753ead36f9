# Fuzzes the .proto loader (libprotoc parsing, option reading) from a small seed corpus.
gatehouse_add_fuzzer(NAME fuzz_proto SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_proto.cpp
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/proto)
