# The per-thread block cache nghttp2 sessions allocate from (gatewaycore/http/http2memory.*).
gatehouse_add_test(NAME tst_http2memory SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_http2memory.cpp
    LIBS gatehouse-core PkgConfig::NGHTTP2)
