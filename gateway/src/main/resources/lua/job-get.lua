-- One job's record. KEYS: job record. Returns its fields and values, empty if unknown.
return redis.call('HGETALL', KEYS[1])
