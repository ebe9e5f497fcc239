-- Records a submitted job before its message is published, or finds the one an earlier request
-- with the same idempotency key (the same job id) recorded.
-- KEYS: job record, the models set. ARGV: jobId, model, version, priority, maxAttempts, fingerprint, ttl ms.
-- Returns {outcome, state}: outcome `new`; `exists` (published); `unpublished` (recorded, its
-- publish not confirmed: publish again); `conflict` (same key, different request).
local job = KEYS[1]
local r = redis.call('HMGET', job, 'fingerprint', 'published', 'state')
if r[3] then
  if r[1] ~= ARGV[6] then return {'conflict', r[3]} end
  if r[2] == '1' then return {'exists', r[3]} end
  return {'unpublished', r[3]}
end
local now = now_ms()
job_save(job, ARGV[7], {'jobId', ARGV[1], 'model', ARGV[2], 'version', ARGV[3], 'priority', ARGV[4],
  'maxAttempts', ARGV[5], 'fingerprint', ARGV[6], 'state', 'queued', 'attempt', 0, 'published', 0, 'submittedAt', now})
redis.call('SADD', KEYS[2], ARGV[2])
return {'new', 'queued'}
