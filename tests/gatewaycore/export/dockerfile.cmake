# The Dockerfile of `export --dockerfile`, checked against the bundle, the OCI image writer and the
# Debian packages that provide gatehoused's libraries (docker itself is not available here).
gatehouse_add_test(NAME tst_dockerfile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_dockerfile.cpp LIBS gatehouse-core
    ENVIRONMENT "GATEHOUSED=$<TARGET_FILE:gatehoused>")
