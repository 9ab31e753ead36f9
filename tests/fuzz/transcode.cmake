# Fuzzes the JSON transcoder's request side: google.api.http templates, path matching, and the
# binding of path variables, query parameters and a JSON body into a message (then back to JSON).
gatehouse_add_fuzzer(NAME fuzz_transcode SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_transcode.cpp
    LIBS gatehouse-core protobuf::libprotobuf protobuf::libprotoc CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus/transcode)
