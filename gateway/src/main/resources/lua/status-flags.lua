-- One page of the status page's flag listing: a SCAN for the region's flag keys.
-- KEYS: any key of the region (for its tag). ARGV: SCAN cursor, page size.
-- Returns {next cursor, keys looked at (the page size: SCAN does not say), then per flag:
-- what follows the flag prefix (<node id>:<kind>), its JSON}.
local tag = tag_of(KEYS[1])
local page = redis.call('SCAN', ARGV[1], 'MATCH', tag .. K.flag .. '*', 'COUNT', tonumber(ARGV[2]))
local out = {page[1], tonumber(ARGV[2])}
local skip = #tag + #K.flag
for _, key in ipairs(page[2]) do
  local json = redis.call('GET', key)
  if json then
    out[#out + 1] = string.sub(key, skip + 1)
    out[#out + 1] = json
  end
end
return out
