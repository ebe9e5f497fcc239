-- Claims the ready node with the most free memory, atomically: no two claims get one node.
-- KEYS: readiness queue, [label set]. ARGV: minFree, lease ms, claim id, model, version, scan cap.
-- Returns {nodeId, expiresAt} or an empty list when no node is eligible.
local id, expires = claim_node(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]))
if not id then return {} end
return {id, tostring(expires)}
