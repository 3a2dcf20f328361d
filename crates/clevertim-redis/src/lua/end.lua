-- The end of a write. ARGV: prefix, ticket, issued_ms, lease_ms, ttl_ms, object flag
-- ('0' none, '1' no answer, '2' answer), object resource, object id, answer json,
-- related count, (resource, id) pairs, then whole resources.
local now = now_ms()
local own = ARGV[2]
local n = tonumber(own)
local at = redis.call('INCR', p .. 'clock')
local function unpend(res, id)
  local field = res .. ':' .. id
  local v = redis.call('HGET', p .. 'pend', field)
  if v and string.match(v, '^(%d+):') == own then
    redis.call('HDEL', p .. 'pend', field)
  end
end
local flag = ARGV[6]
if flag ~= '0' then
  local res, id = ARGV[7], ARGV[8]
  if flag == '2' and fence_of(res, id) <= n and not pending(res, id, now, own)
      and valid(tonumber(ARGV[3]), tonumber(ARGV[4]), now) then
    local field = res .. ':' .. id
    redis.call('HSET', p .. 'fence', field, at)
    redis.call('ZADD', p .. 'fenced', now, field)
    redis.call('SET', entry_key(res, id), ARGV[9], 'PX', ARGV[5])
  else
    fence(res, id, at, now)
  end
  unpend(res, id)
end
local count = tonumber(ARGV[10])
for i = 11, 10 + 2 * count, 2 do
  fence(ARGV[i], ARGV[i + 1], at, now)
  unpend(ARGV[i], ARGV[i + 1])
end
for i = 11 + 2 * count, #ARGV do
  redis.call('HSET', p .. 'rfence', ARGV[i], at)
  redis.call('HINCRBY', p .. 'gen', ARGV[i], 1)
end
-- Fences older than the lease can refuse nothing any more (no ticket that old is admitted).
local old = redis.call('ZRANGEBYSCORE', p .. 'fenced', '-inf', now - tonumber(ARGV[4]), 'LIMIT', 0, 64)
for _, field in ipairs(old) do
  redis.call('HDEL', p .. 'fence', field)
  redis.call('HDEL', p .. 'pend', field)
  redis.call('ZREM', p .. 'fenced', field)
end
return at
