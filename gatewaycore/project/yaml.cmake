target_sources(gatehouse-core PRIVATE yamlfile.h yamlfile.cpp)
