# Fuzzes Lua interceptors with hostile scripts: the sandbox (budget, memory cap, its own pattern
# matcher) and the req/res API, through LuaFilter as a route runs it; and the matcher against
# Lua's own on single calls (inputs starting with "--pattern--").
gatehouse_add_fuzzer(NAME fuzz_lua SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_lua.cpp LIBS gatehouse-core PkgConfig::LUA
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/lua DICT ${CMAKE_CURRENT_SOURCE_DIR}/lua.dict)
