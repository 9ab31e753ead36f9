# The access log: line formats, redaction, the bounded queue and the writer thread.
gatehouse_add_test(NAME tst_accesslog SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_accesslog.cpp LIBS gatehouse-core)
