-- security-headers: the usual browser security headers on every response from the upstream.
local set = {}
local function add(name, value)
  if value ~= nil and value ~= "" then
    set[#set + 1] = {name, value}
  end
end
add("Strict-Transport-Security", settings.hsts)
add("X-Frame-Options", settings.frameOptions)
if settings.contentTypeOptions ~= false then
  add("X-Content-Type-Options", "nosniff")
end
add("Referrer-Policy", settings.referrerPolicy)
add("Content-Security-Policy", settings.contentSecurityPolicy)
local remove = settings.removeServer ~= false

function on_response(res)
  for _, h in ipairs(set) do
    res:set_header(h[1], h[2])
  end
  if remove then
    res:remove_header("Server")
    res:remove_header("X-Powered-By")
  end
end

--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
