# response-cache: RFC 9111 shared cache of upstream responses, per worker, with revalidation and
# invalidation by unsafe methods.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/cachefreshness.h ${CMAKE_CURRENT_LIST_DIR}/cachefreshness.cpp
    ${CMAKE_CURRENT_LIST_DIR}/responsestore.h ${CMAKE_CURRENT_LIST_DIR}/responsestore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cacheinvalidation.h ${CMAKE_CURRENT_LIST_DIR}/cacheinvalidation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cachepolicy.h ${CMAKE_CURRENT_LIST_DIR}/cachepolicy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cachefilter.cpp ${CMAKE_CURRENT_LIST_DIR}/cacherefresh.cpp)
