# response-cache: RFC 9111 shared cache of upstream responses, per worker.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/cachefreshness.h ${CMAKE_CURRENT_LIST_DIR}/cachefreshness.cpp
    ${CMAKE_CURRENT_LIST_DIR}/responsestore.h ${CMAKE_CURRENT_LIST_DIR}/responsestore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cachepolicy.h ${CMAKE_CURRENT_LIST_DIR}/cachepolicy.cpp)
