# Native interceptors through the real gateway: test plugins built here (one that works, one that
# reads bodies, and broken ones gatehoused must refuse), copied into the test's project.
set(_gatehouse_test_plugins addheader upperbody wrongabi noentry unresolved)
foreach(_plugin IN LISTS _gatehouse_test_plugins)
    add_library(testplugin-${_plugin} MODULE ${CMAKE_CURRENT_LIST_DIR}/plugins/${_plugin}.cpp)
    set_target_properties(testplugin-${_plugin} PROPERTIES PREFIX "" OUTPUT_NAME ${_plugin}
        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/plugins
        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    # Only the public header: a plugin links nothing of Gatehouse (nor Qt).
    target_include_directories(testplugin-${_plugin} PRIVATE ${PROJECT_SOURCE_DIR}/gatewaycore/policies/plugin/include)
    gatehouse_set_warnings(testplugin-${_plugin})
endforeach()

gatehouse_add_test(NAME tst_nativeplugins SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_nativeplugins.cpp
    LIBS gatehouse-integration-support LABELS integration TIMEOUT 120
    ENVIRONMENT "GATEHOUSED=$<TARGET_FILE:gatehoused>;GATEHOUSE_TEST_PLUGINS=${CMAKE_CURRENT_BINARY_DIR}/plugins")
add_dependencies(tst_nativeplugins gatehoused)
foreach(_plugin IN LISTS _gatehouse_test_plugins)
    add_dependencies(tst_nativeplugins testplugin-${_plugin})
endforeach()
