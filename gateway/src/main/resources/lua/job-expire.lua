-- The holder of a job's message saw its lease pass: ends the attempt if it was not renewed.
-- KEYS: job record. ARGV: ttl ms, quarantine window ms, failures to quarantine, quarantine ms.
-- Returns {state, leaseUntil or '', quarantined node or ''}; state is '' if the record is gone.
local r = job_read(KEYS[1])
if not r then return {'', '', ''} end
if r.state ~= 'assigned' or (tonumber(r.leaseUntil) or 0) > now_ms() then return {r.state, r.leaseUntil, ''} end
local q = job_attempt_failed(KEYS[1], r, 'lease expired on node ' .. r.node .. ' (attempt ' .. r.attempt .. ')',
  ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return {'failed', '', q}
