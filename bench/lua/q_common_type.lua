dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (d) full text, a common word and one type, relevance order.
request = function()
  return wrk.format("GET", "/v1/aanbod?q=" .. pick(COMMON) .. "&aanbodtype=" .. pick(TYPES))
end
