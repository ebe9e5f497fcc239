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
-- `zix` is the record's zix when the caller already read it.
local function rescore(node_key, id, free, zix)
  for _, k in ipairs(words(zix or redis.call('HGET', node_key, 'zix'))) do redis.call('ZADD', k, free, id) end
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

-- Puts the node into its readiness queues (`rix`, the record's list of them) scored by `free`
-- when `is_ready`, else takes it out. `is_ready` is a function, asked only when there are queues.
local function place(rix, id, is_ready, free)
  local keys = words(rix)
  if #keys > 0 and is_ready() then
    for _, k in ipairs(keys) do redis.call('ZADD', k, free, id) end
  else
    for _, k in ipairs(keys) do redis.call('ZREM', k, id) end
  end
end

-- Puts the node into its readiness queues (rix) or takes it out, as `ready` says.
local function sync_ready(tag, node_key, id, now)
  local r = redis.call('HMGET', node_key, 'state', 'claim', 'rix', 'free')
  place(r[3], id, function() return ready(tag, node_key, id, now, r) end, r[4])
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

-- The kind of a change-log entity, from its key, and its id: node, flag, subcloud or job.
local function entity_of(tag, key)
  for _, kind in ipairs({'node', 'flag', 'subcloud', 'job'}) do
    local p = tag .. K[kind]
    if string.sub(key, 1, #p) == p then return kind, string.sub(key, #p + 1) end
  end
  return nil
end

-- A flag key's rest is `<node id>:<kind>`; node ids hold no ':'.
local function flag_parts(rest)
  return string.match(rest, '^([^:]+):(.+)$')
end

-- Claims the ready node with the most free memory in `queue` (and in the `label` set, if given),
-- atomically: no two claims get one node. Nodes named in `avoid` (space-separated; nil for
-- none) are taken only when no other node is eligible. Returns the node id and the lease's
-- end, or nil.
local function claim_node(queue, label, min_free, lease, claim_id, model, version, cap, avoid)
  local tag = tag_of(queue)
  local now = now_ms()
  local offset, page, looked = 0, 100, 0
  local fallback = nil
  local chosen = nil
  while looked < cap and not chosen do
    local ids = redis.call('ZREVRANGEBYSCORE', queue, '+inf', min_free, 'LIMIT', offset, page)
    if #ids == 0 then break end
    local dropped = 0
    for _, id in ipairs(ids) do
      looked = looked + 1
      local node = tag .. K.node .. id
      if redis.call('EXISTS', node) == 0 then
        redis.call('ZREM', queue, id)
        dropped = dropped + 1
      elseif not ready(tag, node, id, now) then
        -- A flag, lease or deadline changed since it queued: put it where it belongs now.
        sync_ready(tag, node, id, now)
        dropped = dropped + 1
      elseif not label or redis.call('SISMEMBER', label, id) == 1 then
        if avoid and string.find(' ' .. avoid .. ' ', ' ' .. id .. ' ', 1, true) then
          fallback = fallback or id
        else
          chosen = id
          break
        end
      end
    end
    offset = offset + page - dropped
  end
  chosen = chosen or fallback
  if not chosen then return nil end
  local node = tag .. K.node .. chosen
  local claim_key = tag .. K.claim .. claim_id
  local expires = now + lease
  redis.call('HSET', claim_key, 'nodeId', chosen, 'model', model, 'version', version, 'expiresAt', expires)
  redis.call('PEXPIRE', claim_key, lease)
  redis.call('HSET', node, 'claim', claim_id)
  touch(node)
  sync_ready(tag, node, chosen, now)
  return chosen, expires
end

-- Ends a claim, if it is still the node's: the node goes back to the queues if it is online and idle.
local function release_claim(tag, claim_id, node_id)
  if not claim_id or claim_id == '' then return end
  redis.call('DEL', tag .. K.claim .. claim_id)
  local node = tag .. K.node .. node_id
  if redis.call('HGET', node, 'claim') == claim_id then
    redis.call('HDEL', node, 'claim')
    touch(node)
    sync_ready(tag, node, node_id, now_ms())
  end
end

-- Sets an admin flag (JSON {type, reason, [notice], setAt, [until]}) and takes the node out of
-- routing at once. ttl is ms, or '' for until lifted. Returns the flag as stored.
local function set_flag(tag, id, kind, reason, notice, ttl)
  local flag_key = tag .. K.flag .. id .. ':' .. kind
  local node = tag .. K.node .. id
  local now = now_ms()
  local flag = {type = kind, reason = reason, setAt = now}
  if notice ~= '' then flag.notice = notice end
  local json
  if ttl == '' then
    json = cjson.encode(flag)
    redis.call('SET', flag_key, json)
  else
    flag['until'] = now + tonumber(ttl)
    json = cjson.encode(flag)
    redis.call('SET', flag_key, json, 'PX', ttl)
  end
  touch(flag_key)
  -- A freeze is a hard lock: the node's claim is void now, not when its lease runs out.
  if kind == 'freeze' then
    local claim = redis.call('HGET', node, 'claim')
    if claim then
      redis.call('DEL', tag .. K.claim .. claim)
      redis.call('HDEL', node, 'claim')
    end
  end
  if redis.call('EXISTS', node) == 1 then sync_ready(tag, node, id, now) end
  -- A shadow-ban is never told to anyone who might pass it on to the node.
  if kind ~= HIDDEN_FLAG then publish(tag, id, 'flags', {flag = kind, set = true}, now) end
  return json
end

-- Jobs. A job record ({tag}job:<id>) holds: jobId, model, version, priority, maxAttempts,
-- fingerprint, submittedAt, updatedAt, state (queued, assigned, succeeded, failed, dead),
-- attempt (assignments made so far), node, claim, leaseUntil, nodes (every node that had an
-- attempt), delivered, and as they apply error, reason, output, resultNode, resultAttempt,
-- duplicates. It lives for the status TTL after its last change.

local function job_save(job, ttl, fields)
  fields[#fields + 1] = 'updatedAt'
  fields[#fields + 1] = now_ms()
  redis.call('HSET', job, unpack(fields))
  redis.call('PEXPIRE', job, ttl)
end

-- One more failed job on a node, within `window` ms; at `limit` of them the node is quarantined
-- for `qttl` ms (a flag: out of routing, visible to admins, told to the node). Returns the node
-- id when this failure quarantined it, else ''.
local function node_failed(tag, node_id, what, window, limit, qttl)
  if not node_id or node_id == '' or tonumber(limit) <= 0 then return '' end
  local key = tag .. K.nfail .. node_id
  local now = now_ms()
  redis.call('ZADD', key, now, what)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - tonumber(window))
  redis.call('PEXPIRE', key, window)
  local n = redis.call('ZCARD', key)
  if n < tonumber(limit) then return '' end
  redis.call('DEL', key)
  set_flag(tag, node_id, 'quarantine', n .. ' failed jobs within ' .. window .. ' ms (last: ' .. what .. ')', '', qttl)
  return node_id
end

-- The current attempt ended without a result: the job waits for its redelivery. Returns the
-- node id if this quarantined the node, else ''.
local function job_attempt_failed(job, r, err, ttl, window, limit, qttl)
  local tag = tag_of(job)
  job_save(job, ttl, {'state', 'failed', 'error', err, 'leaseUntil', ''})
  release_claim(tag, r.claim, r.node)
  redis.call('PUBLISH', tag .. K.jobs, 'done ' .. r.jobId .. ' ' .. (redis.call('HGET', job, 'model') or ''))
  return node_failed(tag, r.node, r.jobId .. '#' .. r.attempt .. ': ' .. string.sub(err, 1, 200), window, limit, qttl)
end

local function job_read(job)
  local f = {'jobId', 'state', 'attempt', 'maxAttempts', 'node', 'claim', 'leaseUntil', 'nodes', 'delivered'}
  local v = redis.call('HMGET', job, unpack(f))
  if not v[2] then return nil end
  local r = {}
  for i, name in ipairs(f) do r[name] = v[i] or '' end
  return r
end

-- Fills in what a record recreated from a node's report lacks, from the job's message:
-- ARGV[2..7] = model, version, priority, maxAttempts, fingerprint, submittedAt.
local function job_fill(job, args)
  local names = {'model', 'version', 'priority', 'maxAttempts', 'fingerprint', 'submittedAt'}
  for i, name in ipairs(names) do redis.call('HSETNX', job, name, args[i + 1]) end
end
