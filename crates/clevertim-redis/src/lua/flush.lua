-- After a client lost its connection: a new epoch (every entry stored before is no longer
-- served; each expires by its TTL), and no ticket issued before now is admitted.
-- ARGV: prefix.
local now = now_ms()
redis.call('INCR', p .. 'epoch')
redis.call('SET', p .. 'since', now + 1)
return now
