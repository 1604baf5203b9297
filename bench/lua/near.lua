dofile(os.getenv("LUA_DIR") .. "/common.lua")
request = function()
  local p = pick(PUNTEN)
  return wrk.format("GET", "/v1/aanbod?near=" .. p[1] .. "," .. p[2] .. "&radiusKm=10&sort=afstand")
end
