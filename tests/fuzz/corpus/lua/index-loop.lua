local t = setmetatable({}, {}) getmetatable(t).__index = t
function on_request(req) return t.x end