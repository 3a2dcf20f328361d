-- Takes one request from the account's budget (GCRA on the server's clock, in microseconds).
-- ARGV: prefix, emission interval (us), burst tolerance (us). Returns 0 when taken, else how
-- many microseconds to wait before asking again (nothing taken).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local pause = tonumber(redis.call('GET', p .. 'rate:pause') or '0')
if pause > now then return pause - now end
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', p .. 'rate:tat') or '0')
if tat < now then tat = now end
if tat - tolerance > now then return tat - tolerance - now end
redis.call('SET', p .. 'rate:tat', string.format('%.0f', tat + interval))
return 0
