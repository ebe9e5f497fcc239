-- One delivery of a job's message: decides what its holder does with it, atomically.
-- KEYS: job record, readiness queue, dead jobs.
-- ARGV: jobId, model, version, priority, maxAttempts, fingerprint, submittedAt, lease ms,
--       claim id, ttl ms, scan cap, quarantine window ms, failures to quarantine, quarantine ms.
-- Returns {outcome, …, quarantined node or ''}:
--   {'done', state}                          succeeded or dead already: ack the message
--   {'adopt', attempt, node, leaseUntil, delivered, claim}  a live attempt (its first holder is gone): watch it
--   {'dead', reason}                         attempts used up: dead-letter the message
--   {'wait'}                                 no eligible node now: hold the message, try again
--   {'assigned', attempt, node, leaseUntil}  claimed a node (one that had no attempt of the job
--                                            if there is one): deliver the assignment, watch it
local job, queue, dead = KEYS[1], KEYS[2], KEYS[3]
local id, lease, ttl = ARGV[1], tonumber(ARGV[8]), ARGV[10]
local window, limit, qttl = ARGV[12], ARGV[13], ARGV[14]
local tag = tag_of(job)
local now = now_ms()
local r = job_read(job)
if not r then
  -- The record was lost with the Redis that held it; the message brings what it needs.
  job_save(job, ttl, {'jobId', id, 'model', ARGV[2], 'version', ARGV[3], 'priority', ARGV[4], 'maxAttempts', ARGV[5],
    'fingerprint', ARGV[6], 'submittedAt', ARGV[7], 'state', 'queued', 'attempt', 0, 'published', 1})
  r = job_read(job)
end
-- A record recreated by a node's report after a loss lacks what only the message knows.
job_fill(job, ARGV)
if r.state == 'succeeded' or r.state == 'dead' then return {'done', r.state, ''} end
local quarantined = ''
if r.state == 'assigned' then
  if tonumber(r.leaseUntil) and tonumber(r.leaseUntil) > now then
    return {'adopt', r.attempt, r.node, r.leaseUntil, r.delivered, r.claim, ''}
  end
  quarantined = job_attempt_failed(job, r, 'lease expired on node ' .. r.node .. ' (attempt ' .. r.attempt .. ')',
    ttl, window, limit, qttl)
  r = job_read(job)
end
local attempts, max = tonumber(r.attempt), tonumber(ARGV[5])
if attempts >= max then
  local err = redis.call('HGET', job, 'error') or 'no error reported'
  local reason = 'failed ' .. attempts .. ' of ' .. max .. ' attempts; last: ' .. err
  job_save(job, ttl, {'state', 'dead', 'reason', reason, 'leaseUntil', ''})
  redis.call('ZADD', dead, now, id)
  return {'dead', reason, quarantined}
end
local node_id, lease_end = claim_node(queue, nil, 0, lease, ARGV[9], ARGV[2], ARGV[3], tonumber(ARGV[11]), r.nodes)
if not node_id then return {'wait', quarantined} end
local attempt = attempts + 1
local nodes = r.nodes
if not string.find(' ' .. nodes .. ' ', ' ' .. node_id .. ' ', 1, true) then nodes = nodes .. (nodes == '' and '' or ' ') .. node_id end
job_save(job, ttl, {'state', 'assigned', 'attempt', attempt, 'node', node_id, 'claim', ARGV[9],
  'leaseUntil', lease_end, 'nodes', nodes, 'delivered', 0})
return {'assigned', tostring(attempt), node_id, tostring(lease_end), quarantined}
