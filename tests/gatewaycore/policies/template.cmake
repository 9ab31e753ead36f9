# body-template: compile diagnostics, JSON/XML escaping against hostile values, JSON pointers.
gatehouse_add_test(NAME tst_bodytemplate SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/template/tst_bodytemplate.cpp LIBS gatehouse-core)
