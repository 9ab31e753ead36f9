function on_request(req)
  local h = req:headers()
  req:set_header("X-Seen", req:method() .. " " .. req:path() .. " " .. req:query() .. " " .. (h["user-agent"] or ""))
  req:set_header("X-Sub", req:principal().subject .. "|" .. tostring(req:principal().authenticated))
  req:remove_header("X-Secret")
  req:set_path("/v9" .. req:path(), "a=1")
end
function on_response(res)
  res:set_header("X-Status", tostring(res:status()) .. " " .. (res:header("server") or "none"))
  res:remove_header("Server")
end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
