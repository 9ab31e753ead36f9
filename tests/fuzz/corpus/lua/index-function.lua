local t = setmetatable({}, {__index = function(t, k) return t[k .. "x"] end})
function on_request(req) return t.a end