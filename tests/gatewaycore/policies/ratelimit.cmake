# Rate limiting: the GCRA step with a fake clock, the local store under threads, the filter.
gatehouse_add_test(NAME tst_gcra SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ratelimit/tst_gcra.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_localratelimitstore SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ratelimit/tst_localratelimitstore.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_ratelimitfilter SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ratelimit/tst_ratelimitfilter.cpp LIBS gatehouse-core)
