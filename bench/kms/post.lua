-- wrk script for `pnpm bench:kms`: every request is a POST whose body is the same printable
-- payload of the size given as the first script argument (wrk ... -- 1024). Headers (type,
-- authorization) come from wrk's -H flags, so the KMS and the ceiling get identical requests.
local function payload(size)
  -- Deterministic base64url-alphabet text: the same bytes for every target and run.
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
  local chars = {}
  for i = 1, size do
    local index = (i * 37) % #alphabet + 1
    chars[i] = alphabet:sub(index, index)
  end
  return table.concat(chars)
end

function init(args)
  local size = tonumber(args[1])
  if size == nil then
    error("usage: wrk -s post.lua <url> -- <payload bytes>")
  end
  wrk.method = "POST"
  wrk.body = payload(size)
end
