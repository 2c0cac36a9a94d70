-- wrk script: file one paper application per person, never the same person
-- twice (threads take interleaved slices of the id list).
-- Env: IDS (file, one person id per line), TOKEN, UNIT (issuing office id).
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local threads = {}
local counter = 1
setup = function(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
local step, pos
init = function(args)
  pos = tid
  step = #threads > 0 and #threads or 2
end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN"), ["Content-Type"] = "application/json" }
local body = '{"pension_kind":"long_service","form":"paper","issue_unit_id":' .. os.getenv("UNIT") .. '}'
request = function()
  local id = ids[pos]
  pos = pos + (step or 2)
  if id == nil then id = ids[1] end
  return wrk.format("POST", "/api/v1/persons/" .. id .. "/applications", headers, body)
end
