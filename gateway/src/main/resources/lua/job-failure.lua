-- A node reports that its attempt failed. KEYS: job record.
-- ARGV: jobId, node, attempt, error, ttl ms, quarantine window ms, failures to quarantine, quarantine ms.
-- Returns {state, 1 if this report ended the attempt else 0, attempts made, maxAttempts, quarantined node or ''},
-- or {'not_assigned'}.
local job, id, node, attempt = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local tag = tag_of(job)
local r = job_read(job)
if not r then
  -- Lost with its Redis while the node ran the job; the holder of its message fills in the rest.
  job_save(job, ARGV[5], {'jobId', id, 'state', 'assigned', 'attempt', attempt, 'node', node, 'nodes', node,
    'recovered', 1})
  r = job_read(job)
end
if not string.find(' ' .. r.nodes .. ' ', ' ' .. node .. ' ', 1, true) then return {'not_assigned'} end
if r.state ~= 'assigned' or r.node ~= node or r.attempt ~= attempt then
  return {r.state, 0, r.attempt, r.maxAttempts, ''}
end
local q = job_attempt_failed(job, r, 'node ' .. node .. ' (attempt ' .. attempt .. '): ' .. ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
return {'failed', 1, r.attempt, r.maxAttempts, q}
