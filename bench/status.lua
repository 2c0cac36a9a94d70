-- wrk script: POST /api/v1/status for the fixture's cases, cycling through them.
-- Env: CASES (file of `NUMBER BIRTH_DATE` lines, from `dossier bench status --cases-out`).
local cases = {}
for line in io.lines(os.getenv("CASES")) do
  local number, born = line:match("^(%S+) (%S+)$")
  cases[#cases + 1] = '{"number":"' .. number .. '","birth_date":"' .. born .. '"}'
end
local headers = { ["Content-Type"] = "application/json" }
local i = 0
request = function()
  i = i + 104729
  return wrk.format("POST", "/api/v1/status", headers, cases[(i % #cases) + 1])
end
response = function(status)
  if status ~= 200 then error("status " .. status) end
end
