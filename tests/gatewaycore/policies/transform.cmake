# Body transforms: JSON <-> XML rules, round trips, hostile documents; the json-to-xml/xml-to-json policies.
gatehouse_add_test(NAME tst_jsonxml SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transform/tst_jsonxml.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_transformpolicies SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transform/tst_transformpolicies.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_jsonbodynumbers SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transform/tst_jsonbodynumbers.cpp LIBS gatehouse-core)
