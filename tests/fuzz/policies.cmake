# Fuzzes policy settings and the policies' hooks on a sample exchange (runPolicySandbox).
gatehouse_add_fuzzer(NAME fuzz_policies SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_policies.cpp
    LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/policies
    DICT ${CMAKE_CURRENT_SOURCE_DIR}/policies.dict)
