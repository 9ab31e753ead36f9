function on_request(req) req:set_header("X-Ip", req:client_ip()) req:set_header("X-Q", req:request_header("cookie") or "-") end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
