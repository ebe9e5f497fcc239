-- Runs before every state script on the regional Redis (see StateStore): a Redis that lost the
-- region (restarted empty, flushed) or is being refilled from central answers NOREGION, and the
-- call goes to central instead, so no request reads an empty region or writes into one that a
-- refill is about to complete. The marker is `unfilled` on a Redis that lost the region while
-- central was out: that one serves what it holds.
local holds_epoch = redis.call('GET', tag_of(KEYS[1]) .. K.epoch)
if not holds_epoch or holds_epoch == 'filling' then
  return redis.error_reply('NOREGION the regional Redis does not hold the region now')
end
