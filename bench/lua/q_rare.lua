dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (d) full text, a rare word (in < 0.5 % of the rows), relevance order.
request = function()
  return wrk.format("GET", "/v1/aanbod?q=" .. pick(RARE))
end
