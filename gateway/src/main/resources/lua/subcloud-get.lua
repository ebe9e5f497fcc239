-- Reads Subcloud definitions. KEYS: subcloud hashes.
-- Returns per key: definition JSON and version, or '' and '' when there is no such Subcloud.
local out = {}
for _, sc in ipairs(KEYS) do
  local r = redis.call('HMGET', sc, 'definition', 'version')
  out[#out + 1] = r[1] or ''
  out[#out + 1] = r[1] and r[2] or ''
end
return out
