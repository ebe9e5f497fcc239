-- wrk: claims and releases. Every claim granted is released by a later request of the same
-- wrk thread (its connections share a list of claims to release), so the queue never runs dry.
local granted = {}

request = function()
  local id = table.remove(granted)
  if id then
    return wrk.format("DELETE", "/v1/claims/" .. id)
  end
  return wrk.format("POST", "/v1/claims", {["Content-Type"] = "application/json"},
    '{"model":"llama-3-8b","leaseMs":30000}')
end

response = function(status, headers, body)
  if status == 201 then
    granted[#granted + 1] = string.match(body, '"claimId":"([^"]+)"')
  end
end
