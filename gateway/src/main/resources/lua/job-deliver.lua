-- Hands an assignment to its node: into the node's inbox, and a `work` signal for long polls.
-- KEYS: job record, the node's inbox. ARGV: node, attempt, assignment JSON, inbox ttl ms.
-- Returns 1, or 0 if the attempt is no longer live (ended, or taken over).
local r = job_read(KEYS[1])
if not r or r.state ~= 'assigned' or r.node ~= ARGV[1] or r.attempt ~= ARGV[2] then return 0 end
-- The holder of a duplicate message adopted the attempt: the node gets it once.
if r.delivered == '1' then return 1 end
redis.call('RPUSH', KEYS[2], r.jobId .. ' ' .. r.attempt .. ' ' .. ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'delivered', 1)
redis.call('PUBLISH', tag_of(KEYS[1]) .. K.jobs, 'work ' .. ARGV[1])
return 1
