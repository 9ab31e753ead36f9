# Body transforms: JSON <-> XML by documented rules (not yet wired: the data plane has no body hook).
target_sources(gatehouse-core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/jsonxml.h ${CMAKE_CURRENT_LIST_DIR}/jsonxml.cpp)
