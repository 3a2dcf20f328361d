-- Forgets an entry. ARGV: prefix, resource, id.
return redis.call('DEL', entry_key(ARGV[2], ARGV[3]))
