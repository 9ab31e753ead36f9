# gatehouse.yaml: loading and general diagnostics, one test per group of sections, value parsers
# and the MGW policies import.
gatehouse_add_test(NAME tst_projectsettings SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_projectsettings.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_settingssecurity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_settingssecurity.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_settingsvalues SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_settingsvalues.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_settingsnetwork SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_settingsnetwork.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_settingsthrottling SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_settingsthrottling.cpp LIBS gatehouse-core)
