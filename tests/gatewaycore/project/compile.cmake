# Router (proxy) and project compilation tests.
gatehouse_add_test(NAME tst_router SOURCES ${CMAKE_CURRENT_LIST_DIR}/../proxy/tst_router.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_gatewayconfig SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_gatewayconfig.cpp LIBS gatehouse-core)
