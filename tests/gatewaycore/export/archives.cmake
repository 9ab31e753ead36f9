# The tar, gzip and ELF readers behind OCI images, checked against tar, gzip and ldd.
gatehouse_add_test(NAME tst_archives SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_archives.cpp LIBS gatehouse-core)
