-- The answer of a read. ARGV: prefix, ticket, issued_ms, lease_ms, ttl_ms, then
-- (resource, id, json) triples. Each is stored only if no write of its entry started after
-- the ticket and none is in flight, and only while the ticket is younger than the lease.
-- Returns how many were stored.
local now = now_ms()
local n = tonumber(ARGV[2])
if not valid(tonumber(ARGV[3]), tonumber(ARGV[4]), now) then return 0 end
local ttl = ARGV[5]
local kept = 0
for i = 6, #ARGV, 3 do
  local res, id = ARGV[i], ARGV[i + 1]
  if fence_of(res, id) <= n and not pending(res, id, now, nil) then
    redis.call('SET', entry_key(res, id), ARGV[i + 2], 'PX', ttl)
    kept = kept + 1
  end
end
return kept
