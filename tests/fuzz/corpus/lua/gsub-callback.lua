function on_request(req)
  local s = (req:header("cookie") or "a=b"):gsub("%w+", function(w) return ({a = "A"})[w] or string.rep(w, 3) end)
  local t = ("hello world"):gsub("o", {o = "0"})
  req:set_header("X", s .. t)
end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
