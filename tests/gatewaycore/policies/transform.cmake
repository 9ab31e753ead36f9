# Body transforms: JSON <-> XML rules, round trips, hostile documents.
gatehouse_add_test(NAME tst_jsonxml SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transform/tst_jsonxml.cpp LIBS gatehouse-core)
