-- The ids of the Subclouds a client may use. KEYS: the client's index set.
return redis.call('SMEMBERS', KEYS[1])
