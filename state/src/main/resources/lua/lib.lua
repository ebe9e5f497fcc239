-- Shared by every script: LuaScript prepends this file to each one.

-- Entities a script changed beyond its KEYS (a claim changes its node's record). Nil unless
-- the script runs with an epilogue that wants them (LuaScript.followedBy sets it to a table).
local touched = nil
local function touch(key)
  if touched then touched[#touched + 1] = key end
end

-- Redis server time in ms: one clock for every gateway replica of a region.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function words(s)
  local out = {}
  if s then
    for w in string.gmatch(s, '%S+') do out[#out + 1] = w end
  end
  return out
end

-- The record lists the index keys its node belongs to: zix (sorted sets scored by free
-- memory), six (sets) and rix (readiness queues), so leaving every index needs no knowledge
-- of the spec here.
local function unindex(node_key, id)
  local ix = redis.call('HMGET', node_key, 'zix', 'six', 'rix')
  for _, k in ipairs(words(ix[1])) do redis.call('ZREM', k, id) end
  for _, k in ipairs(words(ix[2])) do redis.call('SREM', k, id) end
  for _, k in ipairs(words(ix[3])) do redis.call('ZREM', k, id) end
end

local function index(node_key, id, free)
  local ix = redis.call('HMGET', node_key, 'zix', 'six')
  for _, k in ipairs(words(ix[1])) do redis.call('ZADD', k, free, id) end
  for _, k in ipairs(words(ix[2])) do redis.call('SADD', k, id) end
end

-- A node's free memory moved: its scores in the sorted indexes follow (sets need nothing).
local function rescore(node_key, id, free)
  for _, k in ipairs(words(redis.call('HGET', node_key, 'zix'))) do redis.call('ZADD', k, free, id) end
end

-- `{eu-west}:` from any key of the region.
local function tag_of(key)
  return string.match(key, '^({[^}]*}:)')
end

-- The keys of every flag kind a node may carry, in FLAG_KINDS order.
local function flag_keys(tag, id)
  local keys = {}
  for i, kind in ipairs(FLAG_KINDS) do keys[i] = tag .. K.flag .. id .. ':' .. kind end
  return keys
end

-- Any admin flag on the node stops routing to it (shadow-ban included).
local function flagged(tag, id)
  return redis.call('EXISTS', unpack(flag_keys(tag, id))) > 0
end

-- Shown to matchmaking: heart-beating, no admin flag, not disconnected (any state).
local function listed(tag, id, now)
  local deadline = redis.call('ZSCORE', tag .. K.online, id)
  if not deadline or tonumber(deadline) <= now then return false end
  if redis.call('EXISTS', tag .. K.disc .. id) == 1 then return false end
  return not flagged(tag, id)
end

-- May be handed new work: listed and not draining.
local function routable(tag, id, state, now)
  return state ~= 'draining' and listed(tag, id, now)
end

-- In the readiness queues: routable, idle, and not held by a live claim. `r` is the record's
-- {state, claim} when the caller already read them.
local function ready(tag, node_key, id, now, r)
  r = r or redis.call('HMGET', node_key, 'state', 'claim')
  if r[1] ~= 'idle' then return false end
  if r[2] and redis.call('EXISTS', tag .. K.claim .. r[2]) == 1 then return false end
  return routable(tag, id, r[1], now)
end

-- Puts the node into its readiness queues (rix) or takes it out, as `ready` says.
local function sync_ready(tag, node_key, id, now)
  local r = redis.call('HMGET', node_key, 'state', 'claim', 'rix', 'free')
  local keys = words(r[3])
  if #keys > 0 and ready(tag, node_key, id, now, r) then
    for _, k in ipairs(keys) do redis.call('ZADD', k, r[4], id) end
  else
    for _, k in ipairs(keys) do redis.call('ZREM', k, id) end
  end
end

-- Tells every replica's event stream about a node; `fields` is a table merged into the event.
local function publish(tag, id, kind, fields, now)
  local event = {nodeId = id, type = kind, at = now}
  for k, v in pairs(fields or {}) do event[k] = v end
  redis.call('PUBLISH', tag .. K.events, cjson.encode(event))
end


-- The next tick of the region's hybrid logical clock (microseconds): after every tick before
-- it, and never behind Redis time, so it survives the loss of the clock key.
local function tick(clock)
  local t = redis.call('TIME')
  local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local v = math.max(tonumber(redis.call('GET', clock) or '0') + 1, now_us)
  redis.call('SET', clock, string.format('%.0f', v))
  return v
end

-- The kind of a change-log entity, from its key, and its id: node, flag or subcloud.
local function entity_of(tag, key)
  for _, kind in ipairs({'node', 'flag', 'subcloud'}) do
    local p = tag .. K[kind]
    if string.sub(key, 1, #p) == p then return kind, string.sub(key, #p + 1) end
  end
  return nil
end

-- A flag key's rest is `<node id>:<kind>`; node ids hold no ':'.
local function flag_parts(rest)
  return string.match(rest, '^([^:]+):(.+)$')
end
