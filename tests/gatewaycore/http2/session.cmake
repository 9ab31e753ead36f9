# The server session against an in-memory nghttp2 client: SETTINGS, events, flow control, Rapid Reset.
gatehouse_add_test(NAME tst_http2session SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_http2session.cpp
    LIBS gatehouse-core PkgConfig::NGHTTP2)
