-- Shared by the scenarios: the generated parameters and a seeded random source.
dofile(os.getenv("PARAMS"))
math.randomseed(42)
function pick(t) return t[math.random(#t)] end
