# Header policies (set/remove/rename, both ways) and ${...} value templates.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/valuetemplate.h ${CMAKE_CURRENT_LIST_DIR}/valuetemplate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/headerpolicies.h ${CMAKE_CURRENT_LIST_DIR}/headerpolicies.cpp
)
