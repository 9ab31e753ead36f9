# HTTP/2 upstreams and gRPC through the gateway, with real peers: nghttpd (Debian nghttp2-server)
# as an h2c/h2 upstream, python3-grpcio servers and clients.
gatehouse_add_integration_test(tst_http2upstream)
# gRPC through gatehoused with python3-grpcio peers (grpcfixture.*), by theme: the interop cases
# of grpc/testing/test.proto, JWT and scopes, gateway errors as trailers-only (tst_grpc);
# deadlines and resets both ways (tst_grpccancel); gRPC-Web and CORS (tst_grpcwebproxy).
gatehouse_add_integration_test(tst_grpc SLOW TIMEOUT 300 SOURCES grpcfixture.h grpcfixture.cpp)
gatehouse_add_integration_test(tst_grpccancel SOURCES grpcfixture.h grpcfixture.cpp)
gatehouse_add_integration_test(tst_grpcwebproxy SLOW TIMEOUT 300 SOURCES grpcfixture.h grpcfixture.cpp)
foreach(t tst_grpc tst_grpccancel tst_grpcwebproxy)
    target_link_libraries(${t} PRIVATE OpenSSL::Crypto)
endforeach()
# JSON transcoding from google.api.http: every path of grpc-gateway's echo Swagger through
# gatehoused to a python3-grpcio echo server (transcodeecho.py), hostile requests; streaming
# methods. Both over HTTP/1.1, h2c and h2 (transcodefixture.cpp).
gatehouse_add_integration_test(tst_transcode SOURCES transcodefixture.h transcodefixture.cpp)
gatehouse_add_integration_test(tst_transcodestreaming SOURCES transcodefixture.h transcodefixture.cpp)
