local mt = {__gc = function(o) while true do end end}
for i = 1, 1000 do setmetatable({}, mt) end
function on_request(req) local t = {} for i = 1, 1e5 do t[i] = {} end end