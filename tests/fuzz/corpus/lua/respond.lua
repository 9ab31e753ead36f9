function on_request(req)
  if req:header("x-stub") or true then
    req:respond(418, "{\"tea\":true}", {["Content-Type"] = "application/json", ["X-Why"] = "teapot"})
  end
end