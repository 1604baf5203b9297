dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (d) full text, a common word, by title.
request = function()
  return wrk.format("GET", "/v1/aanbod?q=" .. pick(COMMON) .. "&sort=titel")
end
