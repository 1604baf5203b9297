dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (d) full text, a common word (see COMMON in params.lua), relevance order.
request = function()
  return wrk.format("GET", "/v1/aanbod?q=" .. pick(COMMON))
end
