# body-template: request/response bodies from templates, escaped per content type.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/bodytemplate.h ${CMAKE_CURRENT_LIST_DIR}/bodytemplate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/templatepolicy.h ${CMAKE_CURRENT_LIST_DIR}/templatepolicy.cpp)
