-- Shared by every script of the coherence protocol (prepended to each).
-- ARGV[1] is the namespace's key prefix, `clevertim:{NAMESPACE}:`.
local p = ARGV[1]

-- The server's clock, in milliseconds: tickets are stamped by it, never by a client's.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- An entry's key: under the current epoch (a new one after a client lost its connection)
-- and its resource's generation (a new one when every object of the resource is forgotten).
local function entry_key(res, id)
  local epoch = redis.call('GET', p .. 'epoch') or '0'
  local gen = redis.call('HGET', p .. 'gen', res) or '0'
  return p .. 'e:' .. epoch .. ':' .. res .. ':' .. gen .. ':' .. id
end

-- The newest fence on an entry: its own, or its whole resource's.
local function fence_of(res, id)
  local own = tonumber(redis.call('HGET', p .. 'fence', res .. ':' .. id) or '0')
  local whole = tonumber(redis.call('HGET', p .. 'rfence', res) or '0')
  if whole > own then return whole end
  return own
end

-- A new ticket. A clock that starts again (a server that lost its data) moves `since`
-- forward, so that no ticket issued before can be admitted.
local function ticket(now)
  local n = redis.call('INCR', p .. 'clock')
  if n == 1 or redis.call('EXISTS', p .. 'since') == 0 then
    redis.call('SET', p .. 'since', now)
  end
  return n
end

-- Fences an entry at `at` and evicts it; `fenced` remembers when, for pruning.
local function fence(res, id, at, now)
  local field = res .. ':' .. id
  redis.call('HSET', p .. 'fence', field, at)
  redis.call('ZADD', p .. 'fenced', now, field)
  redis.call('DEL', entry_key(res, id))
end

-- Whether a ticket may still write back: issued since the protocol's state began, and
-- younger than the lease.
local function valid(issued, lease, now)
  local since = redis.call('GET', p .. 'since')
  if not since then return false end
  return issued >= tonumber(since) and now - issued <= lease
end

-- Whether a write other than ticket `own` is in flight on the entry (begun, not ended,
-- within its lease).
local function pending(res, id, now, own)
  local v = redis.call('HGET', p .. 'pend', res .. ':' .. id)
  if not v then return false end
  local who, till = string.match(v, '^(%d+):(%d+)$')
  if who == own then return false end
  return till ~= nil and tonumber(till) > now
end
