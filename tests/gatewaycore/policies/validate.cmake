# Request/response validation: the JSON Schema validator (keywords, references, bounds, the OAI's
# 3.1 test documents against the OAS schema) and the validate-* policies.
gatehouse_add_test(NAME tst_jsonschema SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/validate/tst_jsonschema.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_jsonschemacorpus SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/validate/tst_jsonschemacorpus.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_validatepolicies SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/validate/tst_validatepolicies.cpp LIBS gatehouse-core)
