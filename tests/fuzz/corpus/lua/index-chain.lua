local a, b = {}, {} setmetatable(a, {__index = b}) setmetatable(b, {__index = a})
function on_request(req) req:set_header("X", tostring(a.missing)) end