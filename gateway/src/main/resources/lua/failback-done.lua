-- Takes entities off the region's failback set once the regional Redis holds them, but only
-- those not written on central again since they were read (their score is still the one read).
-- KEYS[1]: the failback set. ARGV: entity, score, entity, score, …
-- Returns how many were taken off.
local done = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    done = done + 1
  end
end
return done
