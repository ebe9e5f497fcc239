-- Reads entities of a region for the change log: their whole current state, stamped with one
-- tick of the region's clock. An entity that no longer exists is a deletion (no `rec`/`val`).
-- Numbers that may pass 2^53 or need every digit (versions, times) travel as strings.
-- KEYS: the region's clock, then entity keys (node records, flag keys, Subcloud hashes, job records).
-- ARGV[1]: 'claims' to keep a node's claim, with its lease (the way back from a failover to
-- central); the change log leaves claims out. ARGV[2]: 'held', see below.
-- Returns {version, JSON array of entities}.
local clock = KEYS[1]
local tag = tag_of(clock)
-- ARGV[2] 'held': this Redis must hold the region (its epoch marker is there). A regional Redis
-- that was just flushed or restarted has lost every entity; exported, they would all be
-- deletions, and central would apply them.
if ARGV[2] == 'held' and redis.call('EXISTS', tag .. K.epoch) == 0 then
  return redis.error_reply('NOREGION this Redis does not hold region ' .. string.sub(tag, 2, -3) .. ' (it lost it); nothing exported')
end
local v = tick(clock)
local now = now_ms()

local function expire_at(key)
  local pttl = redis.call('PTTL', key)
  if pttl > 0 then return string.format('%.0f', now + pttl) end
  return nil
end

local function hash(key)
  local h = redis.call('HGETALL', key)
  if #h == 0 then return nil end
  local rec = {}
  for i = 1, #h, 2 do rec[h[i]] = h[i + 1] end
  return rec
end

local out = {}
for i = 2, #KEYS do
  local key = KEYS[i]
  local kind, rest = entity_of(tag, key)
  local e = {k = key}
  if kind == 'node' then
    e.rec = hash(key)
    if e.rec then
      local claim = e.rec.claim
      if ARGV[1] == 'claims' and claim then
        local claim_key = tag .. K.claim .. claim
        e.claimRec = hash(claim_key)
        if e.claimRec then e.claimAt = expire_at(claim_key) end
      end
      -- Otherwise claims are leases of this region's routers; central keeps none of its own.
      if not e.claimRec then e.rec.claim = nil end
      e.deadline = redis.call('ZSCORE', tag .. K.online, rest) or nil
      e.expireAt = expire_at(key)
      local disc = tag .. K.disc .. rest
      e.disc = redis.call('GET', disc) or nil
      if e.disc then e.discAt = expire_at(disc) end
    end
  elseif kind == 'flag' then
    e.val = redis.call('GET', key) or nil
    if e.val then e.expireAt = expire_at(key) end
  elseif kind == 'subcloud' then
    e.rec = hash(key)
  elseif kind == 'job' then
    e.rec = hash(key)
    if e.rec then e.expireAt = expire_at(key) end
  else
    return redis.error_reply('not a change-log entity: ' .. key)
  end
  out[#out + 1] = e
end
if #out == 0 then return {string.format('%.0f', v), '[]'} end
return {string.format('%.0f', v), cjson.encode(out)}
