# Rate limiting: GCRA, the local and Redis stores, the service and the filter.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/gcra.h ${CMAKE_CURRENT_LIST_DIR}/gcra.cpp
    ${CMAKE_CURRENT_LIST_DIR}/localratelimitstore.h ${CMAKE_CURRENT_LIST_DIR}/localratelimitstore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/redisratelimitstore.h ${CMAKE_CURRENT_LIST_DIR}/redisratelimitstore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ratelimitservice.h ${CMAKE_CURRENT_LIST_DIR}/ratelimitservice.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ratelimitfilter.h ${CMAKE_CURRENT_LIST_DIR}/ratelimitfilter.cpp
)
