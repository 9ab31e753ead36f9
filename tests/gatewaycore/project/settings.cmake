# gatehouse.yaml: loading and diagnostics (general, network, throttling), security sections, value parsers
# and the MGW policies import.
gatehouse_add_test(NAME tst_projectsettings SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_projectsettings.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_settingssecurity SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_settingssecurity.cpp LIBS gatehouse-core)
gatehouse_add_test(NAME tst_settingsvalues SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_settingsvalues.cpp LIBS gatehouse-core)
