-- The newest dead jobs, pruning ids whose record expired. KEYS: dead jobs. ARGV: most to return.
-- Returns one flat field/value list per job.
local tag = tag_of(KEYS[1])
local out = {}
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) * 2)
for _, id in ipairs(ids) do
  local rec = redis.call('HGETALL', tag .. K.job .. id)
  if #rec == 0 or #out >= tonumber(ARGV[1]) then
    if #rec == 0 then redis.call('ZREM', KEYS[1], id) end
  else
    out[#out + 1] = rec
  end
end
return out
