# CORS: the first stage of routes with x-gatehouse-cors / x-wso2-cors.
target_sources(gatehouse-core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/corsfilter.h ${CMAKE_CURRENT_LIST_DIR}/corsfilter.cpp)
