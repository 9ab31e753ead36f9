target_sources(gatehouse-core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/secretresolver.h ${CMAKE_CURRENT_LIST_DIR}/secretresolver.cpp)
