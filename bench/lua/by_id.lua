dofile(os.getenv("LUA_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/v1/aanbod/" .. math.random(MAX_ID))
end
