# rewrite: upstream path templates over path parameters, query edits.
target_sources(gatehouse-core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/rewritepolicy.h ${CMAKE_CURRENT_LIST_DIR}/rewritepolicy.cpp)
