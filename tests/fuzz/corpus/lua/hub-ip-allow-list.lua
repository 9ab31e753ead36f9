-- ip-allow-list: only clients in settings.allow (IPv4 CIDR networks or addresses, IPv6 addresses
-- compared exactly) pass; the others are answered settings.status (403) with a JSON error.
local function parse_v4(s)
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then
    return nil
  end
  a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
  if a > 255 or b > 255 or c > 255 or d > 255 then
    return nil
  end
  return ((a * 256 + b) * 256 + c) * 256 + d
end

-- Compiled once per worker when the config loads; a bad entry stops the config (gatehoused check
-- reports it at this file's line with the entry).
local rules = {}
for i, entry in ipairs(settings.allow) do
  local addr, bits = entry:match("^([^/]+)/(%d+)$")
  addr = addr or entry
  local v4 = parse_v4(addr)
  if v4 then
    bits = tonumber(bits or "32")
    if bits > 32 then
      error(string.format("settings.allow[%d]: prefix length above 32 in '%s'", i - 1, entry))
    end
    local mask = bits == 0 and 0 or ((0xffffffff << (32 - bits)) & 0xffffffff)
    rules[#rules + 1] = {v4 = true, net = v4 & mask, mask = mask}
  elseif addr:find(":", 1, true) and bits == nil then
    rules[#rules + 1] = {v4 = false, text = addr:lower()}
  else
    error(string.format("settings.allow[%d]: '%s' is neither an IPv4 address or network (10.0.0.0/8) "
                        .. "nor an IPv6 address", i - 1, entry))
  end
end
local status = settings.status or 403

function on_request(req)
  local ip = req:client_ip()
  local v4 = parse_v4(ip)
  for _, r in ipairs(rules) do
    if r.v4 then
      if v4 and (v4 & r.mask) == r.net then
        return
      end
    elseif r.text == ip:lower() then
      return
    end
  end
  req:respond(status, '{"code":' .. status .. ',"message":"Forbidden","description":"Your address may not call this API"}',
              {["content-type"] = "application/json"})
end

--request--
GET /zoo/pets/3?x=y&z=1
User-Agent: curl/8
X-Request-Id: abc-123
Cookie: session=abc; theme=dark
Authorization: Bearer e30.e30.
