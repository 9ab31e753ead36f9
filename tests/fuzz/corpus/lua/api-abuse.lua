function on_request(req)
  local m = getmetatable(req) or {}
  pcall(req.set_header, nil, "X", "1")
  pcall(req.set_header, req, {}, "1")
  pcall(req.respond, req, 99)
  pcall(req.respond, req, 200, {}, {})
  pcall(req.respond, req, 200, "x", {[1] = 2})
  pcall(req.set_path, req, "no-slash")
  pcall(req.set_path, req, "/a b")
  pcall(req.header, req)
  req.method = nil
  pcall(req.path)
  req:set_header("X-A", string.rep("v", 65536))
end
function on_response(res) pcall(res.set_path, res, "/x") pcall(res.respond, res, 200) res:set_header("X", tostring(res:status())) end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
