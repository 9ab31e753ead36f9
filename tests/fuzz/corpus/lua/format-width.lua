function on_request(req)
  req:set_header("X-1", string.format("%99d", 1))
  req:set_header("X-2", pcall(string.format, "%100d", 1) and "yes" or "no")
  req:set_header("X-3", string.format("%.99f", 1 / 3))
  req:set_header("X-4", string.format("%q", string.rep("\0\n\\", 1000)))
  req:set_header("X-5", string.format("%s", setmetatable({}, {__tostring = function() return "T" end})))
end