dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (d) full text, a common word, newest first.
request = function()
  return wrk.format("GET", "/v1/aanbod?q=" .. pick(COMMON) .. "&sort=-gewijzigdOp")
end
