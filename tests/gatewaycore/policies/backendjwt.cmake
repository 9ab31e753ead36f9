# backend-jwt: claims, signature (verified with the gateway's public key), per-caller reuse with a
# test clock, the client's own header removed, settings rules.
gatehouse_add_test(NAME tst_backendjwt SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/backendjwt/tst_backendjwt.cpp LIBS gatehouse-core)
