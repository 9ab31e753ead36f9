# Secrets of gatehouse.yaml replaced by ${env:NAME} in place.
gatehouse_add_test(NAME tst_settingsexport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_settingsexport.cpp LIBS gatehouse-core)
