# HTTP/2 upstreams and gRPC through the gateway, with real peers: nghttpd (Debian nghttp2-server)
# as an h2c/h2 upstream, python3-grpcio servers and clients.
gatehouse_add_integration_test(tst_http2upstream)
