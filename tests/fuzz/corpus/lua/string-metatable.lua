local mt = getmetatable("")
mt.__index = function(s, k) return function() return s .. k end end
mt.__add = function(a, b) return a .. b end
function on_request(req) req:set_header("X", ("a"):anything() .. ("b" + "c")) end