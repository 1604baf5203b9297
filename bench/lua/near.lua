dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (e) within 10 km of a municipality's centre, nearest first.
request = function()
  local p = pick(PUNTEN)
  return wrk.format("GET", "/v1/aanbod?near=" .. p[1] .. "," .. p[2] .. "&radiusKm=10&sort=afstand")
end
