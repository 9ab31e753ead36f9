# The policy registry: settings schemas, attachment diagnostics, the header/rewrite/mock policies,
# CORS, Lua interceptors (and the sandbox's pattern functions against Lua's own), and
# docs/policies.md kept in step with the registry.
gatehouse_add_test(NAME tst_settingsschema SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_settingsschema.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_policyregistry SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_policyregistry.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_policydocs SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_policydocs.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_corsfilter SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_corsfilter.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_luapolicy SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_luapolicy.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_luapattern SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_luapattern.cpp LIBS gatehouse-core PkgConfig::LUA)
gatehouse_add_test(NAME tst_policysandbox SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/registry/tst_policysandbox.cpp LIBS gatehouse-core)
