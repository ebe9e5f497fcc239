-- The models jobs were submitted for. KEYS: the models set.
return redis.call('SMEMBERS', KEYS[1])
