-- A ticket for a read. ARGV: prefix. Returns {ticket, issued_ms}.
local now = now_ms()
return {ticket(now), now}
