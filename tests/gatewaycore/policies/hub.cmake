# Policy packages: semver order, safe paths, manifests with file:line:col, checksums, settings as Lua.
gatehouse_add_test(NAME tst_policypackage SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/hub/tst_policypackage.cpp LIBS gatehouse-core)
