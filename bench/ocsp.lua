-- wrk: POSTs the same DER OCSP request (with a nonce, so every answer is
-- signed afresh) read from $REQ.
local f = assert(io.open(os.getenv("REQ"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/ocsp-request"
