# HTTP/2 upstreams and gRPC through the gateway, with real peers: nghttpd (Debian nghttp2-server)
# as an h2c/h2 upstream, python3-grpcio servers and clients.
gatehouse_add_integration_test(tst_http2upstream)
# The interop cases of grpc/testing/test.proto with python3-grpcio server and clients through
# gatehoused, JWT and scopes on a gRPC service, gateway errors as trailers-only, grpc-timeout.
gatehouse_add_integration_test(tst_grpc SLOW TIMEOUT 300)
target_link_libraries(tst_grpc PRIVATE OpenSSL::Crypto)
# JSON transcoding from google.api.http: every path of grpc-gateway's echo Swagger through
# gatehoused to a python3-grpcio echo server (transcodeecho.py), hostile requests; streaming
# methods. Both over HTTP/1.1, h2c and h2 (transcodefixture.cpp).
gatehouse_add_integration_test(tst_transcode SOURCES transcodefixture.h transcodefixture.cpp)
gatehouse_add_integration_test(tst_transcodestreaming SOURCES transcodefixture.h transcodefixture.cpp)
