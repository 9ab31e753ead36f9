-- tests/bench/native-interceptor with LUA_SCRIPT=tests/bench/lua-patterns.lua: the default script's
-- two edits, with a find and a gsub per request (what the sandbox's pattern functions cost).
function on_request(req)
  if req:path():find("^/open") then
    local host = (req:header("host") or "none"):gsub("[^%w]", "_")
    req:set_header("X-Bench", host)
  end
end
function on_response(res)
  res:set_header("x-native-status", tostring(res:status()))
end
