function on_request(req)
  for _, p in ipairs({"%", "[a", "%b", "%f", "(", ")", "%1", "(()", string.rep("()", 33), string.rep("a?", 300)}) do
    local ok, e = pcall(string.find, string.rep("a", 300), p)
    req:set_header("X-E", tostring(e))
  end
end