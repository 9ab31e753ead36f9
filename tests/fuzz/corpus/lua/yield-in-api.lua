function on_request(req)
  local co = coroutine.create(function() coroutine.yield(req:path()) end)
  coroutine.resume(co)
  req:set_header("X", select(2, coroutine.resume(co)) or "done")
  coroutine.wrap(function() req:set_header("X-In", "co") end)()
end
--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
