gatehouse_add_fuzzer(NAME fuzz_settings SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_settings.cpp LIBS gatehouse-core CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/settings)
