-- Every replica waits: no request is taken from the budget for ARGV[2] microseconds (a 429's
-- Retry-After). ARGV: prefix, microseconds.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_ = now + tonumber(ARGV[2])
local pause = tonumber(redis.call('GET', p .. 'rate:pause') or '0')
if until_ > pause then
  redis.call('SET', p .. 'rate:pause', string.format('%.0f', until_))
end
return 0
