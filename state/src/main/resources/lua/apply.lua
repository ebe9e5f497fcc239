-- Applies change-log messages of one region, in order, to the Redis this runs on.
-- KEYS: versions hash, clock, applied hash. ARGV[1]: mode, then one message (JSON) per ARGV:
--   {region, v, since, changes = [entity…], resync?, done?}
-- Mode `lww` (central): an entity changes only when the message is newer than the version
-- held for it, so a replayed or older message changes nothing; versions are kept, deletions
-- included. Mode `fill` (a regional Redis that came back empty): an entity is written only if
-- it is absent here, so anything written since the loss wins, and deletions are skipped.
-- A resync's pages record the entities they showed and their own numbers; its closing message
-- (done) deletes every entity older than the resync that no page showed, the deletions the
-- change log missed, but only when every page it announces has been recorded. So a closing
-- message applied again (redelivered after a crash), or one whose pages were lost or expired,
-- deletes nothing.
-- Every message is checked before anything is written. Returns {applied, unchanged, newest version}.
local versions, clock, applied_key, mode = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local tag = tag_of(versions)
local region = string.sub(tag, 2, -3)
local now = now_ms()

local function valid(e)
  if type(e) ~= 'table' or type(e.k) ~= 'string' or not entity_of(tag, e.k) then return false end
  if e.rec ~= nil then
    if type(e.rec) ~= 'table' then return false end
    for f, val in pairs(e.rec) do
      if type(f) ~= 'string' or type(val) ~= 'string' then return false end
    end
  end
  if e.claimRec ~= nil then
    if type(e.claimRec) ~= 'table' then return false end
    for f, val in pairs(e.claimRec) do
      if type(f) ~= 'string' or type(val) ~= 'string' then return false end
    end
  end
  for _, f in ipairs({'val', 'disc'}) do
    if e[f] ~= nil and type(e[f]) ~= 'string' then return false end
  end
  for _, f in ipairs({'deadline', 'expireAt', 'discAt', 'claimAt'}) do
    if e[f] ~= nil and not tonumber(e[f]) then return false end
  end
  return true
end

if mode ~= 'lww' and mode ~= 'fill' and mode ~= 'copy' then return redis.error_reply('unknown mode ' .. tostring(mode)) end
local messages = {}
for i = 2, #ARGV do
  local ok, m = pcall(cjson.decode, ARGV[i])
  if not ok or type(m) ~= 'table' then return redis.error_reply('message ' .. (i - 1) .. ' is not JSON') end
  if m.region ~= region then
    return redis.error_reply('message ' .. (i - 1) .. ' is for region ' .. tostring(m.region) .. ', not ' .. region)
  end
  if not tonumber(m.v) then return redis.error_reply('message ' .. (i - 1) .. ' has no version') end
  if m.resync ~= nil then
    if type(m.resync) ~= 'string' or not string.match(m.resync, '^[%w-]+$') then
      return redis.error_reply('message ' .. (i - 1) .. ' has a bad resync id')
    end
    local n = m.done and m.pages or m.page
    if type(n) ~= 'number' or n < 0 or n ~= math.floor(n) then
      return redis.error_reply('message ' .. (i - 1) .. ' is a resync message without its page number or count')
    end
  end
  if m.changes ~= nil and type(m.changes) ~= 'table' then
    return redis.error_reply('message ' .. (i - 1) .. ' has changes that are not a list')
  end
  for _, e in ipairs(m.changes or {}) do
    if not valid(e) then
      return redis.error_reply('message ' .. (i - 1) .. ' has a change that is not an entity of ' .. region)
    end
  end
  messages[#messages + 1] = m
end

local function hset_all(key, rec)
  local args = {}
  for f, val in pairs(rec) do
    args[#args + 1] = f
    args[#args + 1] = val
  end
  if #args > 0 then redis.call('HSET', key, unpack(args)) end
end

-- True when the node is online here and the record names the same index keys: then its set
-- memberships are already right and its sorted indexes only need a new score.
local function stays_indexed(key, id, e)
  if type(e.rec) ~= 'table' or not e.deadline or not redis.call('ZSCORE', tag .. K.online, id) then return false end
  local ix = redis.call('HMGET', key, 'zix', 'six', 'rix')
  return ix[1] == e.rec.zix and ix[2] == e.rec.six and ix[3] == e.rec.rix
end

-- A claim carried back from central after a failover, with the rest of its lease.
local function restore_claim(e)
  if type(e.claimRec) ~= 'table' or not e.claimAt or type(e.rec) ~= 'table' or not e.rec.claim then return end
  local claim_key = tag .. K.claim .. e.rec.claim
  hset_all(claim_key, e.claimRec)
  redis.call('PEXPIREAT', claim_key, e.claimAt)
end

local function put_node(key, id, e)
  if stays_indexed(key, id, e) then
    restore_claim(e)
    -- The common case, a heartbeat: nothing is taken out of an index and put back.
    redis.call('DEL', key, tag .. K.disc .. id)
    hset_all(key, e.rec)
    if e.expireAt then redis.call('PEXPIREAT', key, e.expireAt) end
    if e.disc and e.discAt then redis.call('SET', tag .. K.disc .. id, e.disc, 'PXAT', e.discAt) end
    redis.call('ZADD', tag .. K.online, e.deadline, id)
    rescore(key, id, e.rec.free)
    sync_ready(tag, key, id, now)
    return
  end
  restore_claim(e)
  if redis.call('EXISTS', key) == 1 then unindex(key, id) end
  redis.call('ZREM', tag .. K.online, id)
  redis.call('DEL', key, tag .. K.disc .. id)
  if type(e.rec) ~= 'table' then return end
  hset_all(key, e.rec)
  if e.expireAt then redis.call('PEXPIREAT', key, e.expireAt) end
  if e.disc and e.discAt then redis.call('SET', tag .. K.disc .. id, e.disc, 'PXAT', e.discAt) end
  if e.deadline then
    redis.call('ZADD', tag .. K.online, e.deadline, id)
    index(key, id, e.rec.free)
  end
  sync_ready(tag, key, id, now)
end

local function put_flag(key, rest, e)
  if e.val then
    if e.expireAt then
      redis.call('SET', key, e.val, 'PXAT', e.expireAt)
    else
      redis.call('SET', key, e.val)
    end
  else
    redis.call('DEL', key)
  end
  local id = flag_parts(rest)
  local node = tag .. K.node .. id
  if redis.call('EXISTS', node) == 1 then sync_ready(tag, node, id, now) end
end

local function put_subcloud(key, id, e)
  for _, c in ipairs(words(redis.call('HGET', key, 'clients'))) do redis.call('SREM', tag .. K.csub .. c, id) end
  redis.call('DEL', key)
  if type(e.rec) == 'table' then hset_all(key, e.rec) end
  if type(e.rec) == 'table' and e.rec.definition then
    redis.call('SADD', tag .. K.subclouds, id)
    for _, c in ipairs(words(e.rec.clients)) do redis.call('SADD', tag .. K.csub .. c, id) end
  else
    redis.call('SREM', tag .. K.subclouds, id)
  end
  redis.call('PUBLISH', tag .. K.subcloud_changes, id)
end

local function final_state(state)
  return state == 'succeeded' or state == 'dead'
end

-- A job's status record; the dead-job index follows its state. A job that ended stays ended:
-- a copy of it from before its end (a replica that wrote on central while another was back on
-- the regional Redis, a message that crossed a newer one) changes nothing, and it leaves by
-- its TTL, not by a deletion. In every mode, so neither side can take a job's end back.
local function put_job(key, id, e)
  local incoming = type(e.rec) == 'table' and e.rec.state or nil
  if final_state(redis.call('HGET', key, 'state')) and not final_state(incoming) then return end
  redis.call('DEL', key)
  if type(e.rec) == 'table' then
    hset_all(key, e.rec)
    if e.expireAt then redis.call('PEXPIREAT', key, e.expireAt) end
  end
  if type(e.rec) == 'table' and e.rec.state == 'dead' then
    redis.call('ZADD', tag .. K.dead_jobs, tonumber(e.rec.updatedAt) or now, id)
  else
    redis.call('ZREM', tag .. K.dead_jobs, id)
  end
end

local function put(e)
  local kind, rest = entity_of(tag, e.k)
  if kind == 'node' then
    put_node(e.k, rest, e)
  elseif kind == 'flag' then
    put_flag(e.k, rest, e)
  elseif kind == 'job' then
    put_job(e.k, rest, e)
  else
    put_subcloud(e.k, rest, e)
  end
end

local function present(e)
  return e.rec ~= nil or e.val ~= nil
end

local applied, unchanged, newest = 0, 0, 0
for _, m in ipairs(messages) do
  local v = tonumber(m.v)
  local vs = string.format('%.0f', v)
  newest = math.max(newest, v)
  for _, e in ipairs(m.changes or {}) do
    if mode == 'fill' then
      if present(e) and redis.call('EXISTS', e.k) == 0 then
        put(e)
        applied = applied + 1
      else
        unchanged = unchanged + 1
      end
    elseif mode == 'copy' then
      put(e)
      applied = applied + 1
    else
      local held = tonumber(redis.call('HGET', versions, e.k) or '0')
      if v > held then
        put(e)
        redis.call('HSET', versions, e.k, vs)
        applied = applied + 1
      else
        unchanged = unchanged + 1
      end
      if m.resync then redis.call('SADD', tag .. K.seen .. m.resync, e.k) end
    end
  end
  if mode == 'lww' and m.resync then
    local seen = tag .. K.seen .. m.resync
    local pages = seen .. ':pages'
    if m.done then
      if redis.call('SCARD', pages) == m.pages then
        local all = redis.call('HGETALL', versions)
        for i = 1, #all, 2 do
          local k = all[i]
          if tonumber(all[i + 1]) < v and redis.call('SISMEMBER', seen, k) == 0 and redis.call('EXISTS', k) == 1 then
            put({k = k})
            redis.call('HSET', versions, k, vs)
            applied = applied + 1
          end
        end
      end
      redis.call('DEL', seen, pages)
    else
      redis.call('SADD', pages, m.page)
      -- A resync that never finishes (its gateway died) leaves nothing behind for long.
      redis.call('PEXPIRE', seen, 3600000)
      redis.call('PEXPIRE', pages, 3600000)
    end
  end
end

if newest > tonumber(redis.call('GET', clock) or '0') then
  redis.call('SET', clock, string.format('%.0f', newest))
end
-- Only forward: a replay after a takeover must not make central look further behind than it is.
if mode == 'lww' and #messages > 0 and newest > tonumber(redis.call('HGET', applied_key, 'version') or '0') then
  local last = messages[#messages]
  redis.call('HSET', applied_key, 'version', string.format('%.0f', newest), 'at', now,
    'since', tostring(last.since or now))
end
return {applied, unchanged, string.format('%.0f', newest)}
