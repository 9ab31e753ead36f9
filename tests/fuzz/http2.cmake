# Fuzzes the HTTP/2 server session; seeds are nghttp2's h2spec corpus (../shared/corpus).
gatehouse_add_fuzzer(NAME fuzz_http2
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_http2.cpp
    LIBS gatehouse-core CORPUS ${GATEHOUSE_CORPUS_DIR}/http/nghttp2-fuzz-corpus/fuzz/corpus/h2spec)
