local function nest(n) return coroutine.wrap(function() return nest(n + 1)() end) end
function on_request(req) nest(1)() end