-- A node renews the lease of the attempt it runs. KEYS: job record.
-- ARGV: node, attempt, lease ms, ttl ms. Returns the new lease end, or -1 if the attempt is not live.
local r = job_read(KEYS[1])
if not r or r.state ~= 'assigned' or r.node ~= ARGV[1] or r.attempt ~= ARGV[2] then return -1 end
local tag = tag_of(KEYS[1])
local lease_end = now_ms() + tonumber(ARGV[3])
job_save(KEYS[1], ARGV[4], {'leaseUntil', lease_end})
local claim = tag .. K.claim .. r.claim
if r.claim ~= '' and redis.call('EXISTS', claim) == 1 then
  redis.call('HSET', claim, 'expiresAt', lease_end)
  redis.call('PEXPIRE', claim, ARGV[3])
end
return lease_end
