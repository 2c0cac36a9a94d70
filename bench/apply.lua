-- wrk script: file one card application per person, never the same person
-- twice (each thread takes every other id of the list).
-- Env: IDS (file, one person id per line), TOKEN, UNIT (bank branch id).
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local counter = 1
setup = function(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
local pos
init = function(args)
  pos = tid
end
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN"), ["Content-Type"] = "application/json" }
local body = '{"pension_kind":"long_service","form":"card","payment_system":"national","issue_unit_id":' .. os.getenv("UNIT") .. '}'
request = function()
  local id = ids[pos] or ids[1]
  pos = pos + 2
  return wrk.format("POST", "/api/v1/persons/" .. id .. "/applications", headers, body)
end
