# Kubernetes manifests: valid YAML with the fields each kind requires, consistent names.
gatehouse_add_test(NAME tst_k8smanifests SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_k8smanifests.cpp LIBS gatehouse-core yaml-cpp)
