-- The job's message was not confirmed: forget the record, unless the message got through after
-- all and the job has moved on. KEYS: job record. Returns 1 if it was removed.
local r = redis.call('HMGET', KEYS[1], 'published', 'state')
if r[1] == '0' and r[2] == 'queued' then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
