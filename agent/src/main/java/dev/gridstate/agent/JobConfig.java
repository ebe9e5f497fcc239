package dev.gridstate.agent;

import java.time.Duration;

/**
 * How an agent takes jobs, when it was given a {@link JobHandler}.
 *
 * @param concurrency how many jobs of one node run at once
 * @param pollWait    how long the gateway may hold an assignment poll open when it has no work
 */
record JobConfig(JobHandler handler, int concurrency, Duration pollWait) {
}
