getmetatable("").__index = nil
function on_request(req) return ("a"):upper() end