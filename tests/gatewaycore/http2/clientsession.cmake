# The client session against the gateway's own server session in memory: requests, SETTINGS, flow
# control both ways, resets, GOAWAY, header list limits.
gatehouse_add_test(NAME tst_http2clientsession SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_http2clientsession.cpp
    LIBS gatehouse-core)
