# Private key files: refused when their owner let the group or others at them (as OpenSSH does).
gatehouse_add_test(NAME tst_privatekeyfiles SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_privatekeyfiles.cpp
    LIBS gatehouse-core)
