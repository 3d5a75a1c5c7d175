-- wrk script of `pnpm bench:ca`'s OCSP runs, the same for our responder and OpenSSL's:
--   wrk ... -s ocsp.lua <url> -- post <file>   POST the bytes of <file> (a DER OCSPRequest,
--                                              whose NUL octets no command-line argument holds)
--   wrk ... -s ocsp.lua <url> -- get           GET <url> (the request is in its path)
-- Headers (content type, `Connection: close`) come from wrk's -H flags.
--
-- wrk.resolve is replaced by a lookup without wrk's usual trial connection: `openssl ocsp
-- -port` (3.0) spins on a connection closed before it sent a request and answers nobody after
-- it (openssl/openssl#31129, #23934), and that trial connection is such a one.
function wrk.resolve(host, service)
  wrk.addrs = wrk.lookup(host, service)
end

function init(args)
  if args[1] == "post" and args[2] ~= nil then
    local file = assert(io.open(args[2], "rb"))
    wrk.method = "POST"
    wrk.body = file:read("*a")
    file:close()
  elseif args[1] ~= "get" then
    error("usage: wrk -s ocsp.lua <url> -- post <file> | get")
  end
end
