-- Fills in a job record recreated from a node's report with what the job's message knows.
-- KEYS: job record. ARGV: jobId, model, version, priority, maxAttempts, fingerprint, submittedAt.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
job_fill(KEYS[1], ARGV)
return 1
