dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (a) one offer by id.
request = function()
  return wrk.format("GET", "/v1/aanbod/" .. math.random(MAX_ID))
end
