# HTTP/2 through gatehoused with real clients (curl, nghttp, h2load), the h2spec fuzzing corpus and
# hostile raw-socket clients (h2rawclient.py).
gatehouse_add_integration_test(tst_http2 SLOW TIMEOUT 600 COST 40)
# REST routes to HTTP/2 upstreams (nghttpd, and a resetting upstream), 20 MB both ways with RSS watched.
gatehouse_add_integration_test(tst_http2rest)
# REST routes to h2 upstreams over TLS (ALPN): nghttpd with a test certificate, and an HTTP/1.1-only
# TLS upstream answered 502 with the cause named.
gatehouse_add_integration_test(tst_http2tlsupstream)
