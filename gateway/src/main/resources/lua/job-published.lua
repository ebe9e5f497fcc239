-- The broker confirmed the job's message. KEYS: job record. Returns 1 if the record is there.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'published', '1')
return 1
