dofile(os.getenv("LUA_DIR") .. "/common.lua")
-- (c) filters only, fixed: one type in a Dutch-language context, default order, exact total.
request = function()
  return wrk.format("GET", "/v1/aanbod?aanbodtype=" .. pick(TYPES) .. "&nederlandstaligeContext=true")
end
