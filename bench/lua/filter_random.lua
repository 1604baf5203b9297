dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (c) filters only, random: 1 to 4 of the documented filters with random values, default order.
local function bool() return pick({"true", "false"}) end
local FILTERS = {
  function() return "aanbodtype=" .. pick(TYPES) end,
  function() return "nederlandstaligeContext=" .. bool() end,
  function() return "inGroep=" .. bool() end,
  function() return "kosteloos=" .. bool() end,
  function() return "taal=" .. pick(TALEN) end,
  function() return "thema=" .. pick(THEMAS) end,
  function() return "regionaalNetwerk=" .. pick(NETWERKEN) end,
  function() return "weekdag=" .. pick(WEEKDAGEN) end,
  function() return "dagdeel=" .. pick(DAGDELEN) end,
  function() return "beschikbaarOp=" .. pick(DATA) end,
  function() return "kwalificeert=" .. bool() end,
}
request = function()
  local chosen, parts = {}, {}
  for _ = 1, math.random(4) do
    local i = math.random(#FILTERS)
    if not chosen[i] then
      chosen[i] = true
      parts[#parts + 1] = FILTERS[i]()
    end
  end
  return wrk.format("GET", "/v1/aanbod?" .. table.concat(parts, "&"))
end
