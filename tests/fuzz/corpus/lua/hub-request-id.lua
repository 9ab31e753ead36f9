-- request-id: a correlation id on every request (a random UUID v4 unless the caller sent a sane one),
-- forwarded upstream and echoed on the response. Settings: header, trustIncoming, echo.
local header = settings.header or "X-Request-Id"
local trust = settings.trustIncoming ~= false
local echo = settings.echo ~= false

local function new_id()
  local r = math.random
  return string.format("%08x-%04x-4%03x-%04x-%012x", r(0, 0xffffffff), r(0, 0xffff), r(0, 0xfff),
                       r(0, 0x3fff) | 0x8000, r(0, 0xffffffffffff))
end

function on_request(req)
  local id = req:header(header)
  if id == nil or not trust or #id > 128 or not id:match("^[%w%-_%.]+$") then
    id = new_id()
  end
  req:set_header(header, id)
end

function on_response(res)
  if echo then
    local id = res:request_header(header)
    if id then
      res:set_header(header, id)
    end
  end
end

--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
