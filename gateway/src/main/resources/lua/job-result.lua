-- A node reports a job's result. The first result ends the job; a later one (of another attempt)
-- is recorded as a duplicate and changes nothing else; the same report again changes nothing.
-- KEYS: job record. ARGV: jobId, node, attempt, output JSON, ttl ms.
-- Returns {state, 1 if a duplicate else 0}, or {'not_assigned'} when the node never had the job.
local job, id, node, attempt = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local tag = tag_of(job)
local r = job_read(job)
if not r then
  -- The record was lost with its Redis while the node ran the job: the result is the job's
  -- end all the same; the holder of its message fills in the rest.
  job_save(job, ARGV[5], {'jobId', id, 'state', 'succeeded', 'attempt', attempt, 'node', node, 'nodes', node,
    'output', ARGV[4], 'resultNode', node, 'resultAttempt', attempt, 'recovered', 1})
  redis.call('PUBLISH', tag .. K.jobs, 'done ' .. id)
  return {'succeeded', 0}
end
if not string.find(' ' .. r.nodes .. ' ', ' ' .. node .. ' ', 1, true) then return {'not_assigned'} end
-- The same report again (the node retried after an answer it did not get): recorded already.
if r.state == 'succeeded' then
  local by = redis.call('HMGET', job, 'resultNode', 'resultAttempt')
  if by[1] == node and by[2] == attempt then return {'succeeded', 0} end
end
if r.state == 'succeeded' or r.state == 'dead' then
  redis.call('HINCRBY', job, 'duplicates', 1)
  job_save(job, ARGV[5], {'lastDuplicate', cjson.encode({node = node, attempt = tonumber(attempt), at = now_ms()})})
  return {r.state, 1}
end
job_save(job, ARGV[5], {'state', 'succeeded', 'output', ARGV[4], 'resultNode', node, 'resultAttempt', attempt,
  'leaseUntil', ''})
release_claim(tag, r.claim, r.node)
redis.call('PUBLISH', tag .. K.jobs, 'done ' .. id .. ' ' .. (redis.call('HGET', job, 'model') or ''))
return {'succeeded', 0}
