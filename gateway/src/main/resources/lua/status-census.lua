-- One page of the status page's census: online nodes counted by model and reported state.
-- KEYS: online. ARGV: ZSCAN cursor, page size, the prefix of the per-model indexes ({r}:model:).
-- Returns {next cursor, entries looked at, idle, busy, draining, other (every node once),
-- then per model: name, idle, busy, draining, other}. A node serving two models counts in both.
-- About 6 µs of Redis time per node: callers keep pages small and pace them.
local online = KEYS[1]
local node_prefix = tag_of(online) .. K.node
local now = now_ms()
-- The models are read off the record's list of its indexes (zix), e.g. `{r}:model:llama-3-8b`.
local model_pattern = string.gsub(ARGV[3], '%p', '%%%0') .. '(%S+)'
local page = redis.call('ZSCAN', online, ARGV[1], 'COUNT', tonumber(ARGV[2]))
local entries = page[2]
local column = {idle = 1, busy = 2, draining = 3}
local total = {0, 0, 0, 0}
local by_model, models = {}, {}
for i = 1, #entries, 2 do
  -- Past its deadline and not swept yet: offline everywhere already.
  if tonumber(entries[i + 1]) > now then
    local r = redis.call('HMGET', node_prefix .. entries[i], 'state', 'zix')
    if r[1] then
      local c = column[r[1]] or 4
      total[c] = total[c] + 1
      for m in string.gmatch(r[2] or '', model_pattern) do
        local counts = by_model[m]
        if not counts then
          counts = {0, 0, 0, 0}
          by_model[m] = counts
          models[#models + 1] = m
        end
        counts[c] = counts[c] + 1
      end
    end
  end
end
local out = {page[1], #entries / 2, total[1], total[2], total[3], total[4]}
for _, m in ipairs(models) do
  local counts = by_model[m]
  out[#out + 1] = m
  for j = 1, 4 do out[#out + 1] = counts[j] end
end
return out
