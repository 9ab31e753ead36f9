# Body transforms: JSON <-> XML by documented rules, and the json-to-xml / xml-to-json policies.
target_sources(gatehouse-core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/jsonxml.h ${CMAKE_CURRENT_LIST_DIR}/jsonxml.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonxmlrules.h ${CMAKE_CURRENT_LIST_DIR}/bytescan.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonbodyparser.h ${CMAKE_CURRENT_LIST_DIR}/jsonbodytoxml.cpp
    ${CMAKE_CURRENT_LIST_DIR}/xmltojson.cpp
    ${CMAKE_CURRENT_LIST_DIR}/xmlbytewriter.h ${CMAKE_CURRENT_LIST_DIR}/xmlbytewriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transformpolicies.h ${CMAKE_CURRENT_LIST_DIR}/transformpolicies.cpp
)
