# response-cache: RFC 9111 freshness arithmetic with given clocks, the bounded Vary-aware store,
# and the filter over a hand-made exchange (keys per caller, Cache-Status, Age).
gatehouse_add_test(NAME tst_cachefreshness SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cache/tst_cachefreshness.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_responsecache SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cache/tst_responsecache.cpp LIBS gatehouse-core)
# Revalidation and invalidation: validators, the lock-free invalidation log, same-origin targets.
gatehouse_add_test(NAME tst_cacherevalidation SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cache/tst_cacherevalidation.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_responsecacherevalidation SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cache/tst_responsecacherevalidation.cpp LIBS gatehouse-core)
