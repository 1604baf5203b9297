dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (b) one municipality, newest first.
request = function()
  return wrk.format("GET", "/v1/aanbod?gemeente=" .. pick(NIS) .. "&sort=-gewijzigdOp")
end
