-- Sets an admin flag on a node (known or not yet) and takes it out of routing at once.
-- KEYS: flag key, node record. ARGV: id, kind, reason, notice ('' = none), ttl ms ('' = until lifted).
-- Returns the flag as stored (JSON): {type, reason, [notice], setAt, [until]}.
return set_flag(tag_of(KEYS[1]), ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
