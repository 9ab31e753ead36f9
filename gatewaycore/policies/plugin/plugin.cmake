# Native C++ interceptors: the public plugin interface (installed with gatehoused), the loader,
# the per-worker filter and the `native` policy.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/include/gatehouse/interceptor.h
    ${CMAKE_CURRENT_LIST_DIR}/nativeplugin.h ${CMAKE_CURRENT_LIST_DIR}/nativeplugin.cpp
    ${CMAKE_CURRENT_LIST_DIR}/nativefilter.h ${CMAKE_CURRENT_LIST_DIR}/nativefilter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/nativepolicy.h ${CMAKE_CURRENT_LIST_DIR}/nativepolicy.cpp
)
target_include_directories(gatehouse-core PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_LIST_DIR}/include>)
# Plugin authors build against this one header (docs/native-plugins.md).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/include/gatehouse/interceptor.h
        DESTINATION include/gatehouse COMPONENT gatehoused)
