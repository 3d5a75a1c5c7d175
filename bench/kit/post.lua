-- wrk script of the product benchmarks (`pnpm bench:kms`, `pnpm bench:jose`): every request is
-- a POST of the same body, given as the first script argument (wrk ... -- '<body>'). Headers
-- (type, authorization) come from wrk's -H flags, so a product and its ceiling get identical
-- requests. The runner builds the body (bench/kit/payload.mjs), so no body is written twice.
function init(args)
  if args[1] == nil then
    error("usage: wrk -s post.lua <url> -- <body>")
  end
  wrk.method = "POST"
  wrk.body = args[1]
end
