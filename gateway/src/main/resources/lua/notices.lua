-- The live notices (JSON each); ids whose notice expired are pruned from the set. KEYS: notices set.
local tag = tag_of(KEYS[1])
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local json = redis.call('GET', tag .. K.notice .. id)
  if json then out[#out + 1] = json else redis.call('SREM', KEYS[1], id) end
end
return out
