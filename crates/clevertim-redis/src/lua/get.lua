-- A cached entry. ARGV: prefix, resource, id.
return redis.call('GET', entry_key(ARGV[2], ARGV[3]))
