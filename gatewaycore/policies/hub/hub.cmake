# Policy packages and the offline policy hub: manifests, checksums, hub indexes (folders or git
# repositories), install/publish/update, and packages as policies.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/policypackage.h ${CMAKE_CURRENT_LIST_DIR}/policypackage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/hubindex.h ${CMAKE_CURRENT_LIST_DIR}/hubindex.cpp
    ${CMAKE_CURRENT_LIST_DIR}/policyhub.h ${CMAKE_CURRENT_LIST_DIR}/policyhub.cpp
    ${CMAKE_CURRENT_LIST_DIR}/packagepolicy.h ${CMAKE_CURRENT_LIST_DIR}/packagepolicy.cpp
)
# The sample hub (three packages) is the default hub of an installed gatehoused.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/hub DESTINATION share/gatehouse COMPONENT gatehoused)
