function on_request(req)
  local it = ("a b c"):gmatch("%a")
  local co = coroutine.wrap(function() for w in it do coroutine.yield(w) end end)
  req:set_header("X", co() .. co() .. (it() or "-"))
end