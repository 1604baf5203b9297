dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (f) facets (issue 14): one network's catalogue with the counts a filter panel shows.
request = function()
  return wrk.format("GET", "/v1/aanbod?regionaalNetwerk=" .. pick(NETWERKEN) .. "&facetten=aanbodtype,gemeente,taal,weekdag")
end
