-- Runs after a write script on central while the regional Redis is out of use (see
-- StateStore): every entity among the script's keys, and every one it touched, gets a new version of the region's clock,
-- so no older change still travelling through the change log overwrites what was written
-- here, and goes into the region's failback set, scored by that version, so the way back
-- copies it to the regional Redis before the gateways use that again.
local failback_tag = tag_of(KEYS[1])
local failback_v = nil
local failback_keys = {}
for _, key in ipairs(KEYS) do failback_keys[#failback_keys + 1] = key end
for _, key in ipairs(touched) do failback_keys[#failback_keys + 1] = key end
for _, key in ipairs(failback_keys) do
  if entity_of(failback_tag, key) then
    failback_v = failback_v or string.format('%.0f', tick(failback_tag .. K.clock))
    redis.call('HSET', failback_tag .. K.versions, key, failback_v)
    redis.call('ZADD', failback_tag .. K.failback, failback_v, key)
  end
end
