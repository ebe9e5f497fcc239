-- The state of each job (KEYS: job records), for the holders of their messages: per job
-- {state, leaseUntil, recovered}, with state '' for a record that is gone.
local out = {}
for _, job in ipairs(KEYS) do
  local v = redis.call('HMGET', job, 'state', 'leaseUntil', 'recovered')
  out[#out + 1] = {v[1] or '', v[2] or '', v[3] or ''}
end
return out
