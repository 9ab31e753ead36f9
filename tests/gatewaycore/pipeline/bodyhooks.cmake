# Body hooks: limits combined per chain, hook order both ways, replaced bodies, refused suspensions.
gatehouse_add_test(NAME tst_bodyhooks SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_bodyhooks.cpp LIBS gatehouse-core)
