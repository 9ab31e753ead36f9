function on_request(req)
  local c = req:header("cookie") or ""
  for k, v in c:gmatch("(%w+)=([^;]*)") do req:set_header("X-C-" .. k, v) end
  local p = req:path():gsub("^/zoo", ""):gsub("%d+", function(d) return "<" .. d .. ">" end)
  req:set_path(p == "" and "/" or p)
  local a, b, x = req:query():find("(%w+)=")
  req:set_header("X-F", tostring(a) .. tostring(b) .. tostring(x))
  req:set_header("X-B", ("(a(b)c)"):match("%b()") .. ("THE (quick) fox"):gsub("%f[%a]%a+", "%0!"))
end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
