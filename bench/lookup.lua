-- wrk script: GET a person by RNOKPP, cycling through a list of known numbers.
-- Env: RNOKPPS (file, one per line), TOKEN (API token); PAUSE_MS (optional):
-- each connection waits that long after an answer before its next request, so
-- the load stays below saturation (64 connections and 2 ms: about 20 000 req/s).
local keys = {}
for line in io.lines(os.getenv("RNOKPPS")) do keys[#keys + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/persons?rnokpp=" .. keys[(i % #keys) + 1], headers)
end
local pause = tonumber(os.getenv("PAUSE_MS") or "")
if pause then
  delay = function() return pause end
end
