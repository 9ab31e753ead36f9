local saved
function on_request(req) saved = req end
function on_response(res) saved:set_header("X-Late", "1") saved:respond(200) end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
