-- The start of a write. ARGV: prefix, lease_ms, then (resource, id) pairs the write may
-- change. Fences and evicts them, marks the write pending on each. Returns {ticket, issued_ms}.
local now = now_ms()
local n = ticket(now)
local till = now + tonumber(ARGV[2])
for i = 3, #ARGV, 2 do
  fence(ARGV[i], ARGV[i + 1], n, now)
  redis.call('HSET', p .. 'pend', ARGV[i] .. ':' .. ARGV[i + 1], string.format('%d:%d', n, till))
end
return {n, now}
