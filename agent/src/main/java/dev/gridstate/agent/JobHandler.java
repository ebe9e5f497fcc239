package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Does the work of the jobs the gateway assigns to a node (see {@link NodeAgentBuilder#jobs}).
 *
 * <p>Each job runs on a virtual thread of its own, so a handler may block for as long as the job takes;
 * the agent keeps the job's lease renewed meanwhile. Jobs of one node run at most
 * {@link NodeAgentBuilder#jobConcurrency} at a time, in the order they were assigned; jobs of different
 * nodes run in parallel, so a handler shared by several nodes must be thread-safe.
 * {@link NodeAgent#close()} interrupts the handlers still running; what they return then is not reported.
 */
@FunctionalInterface
public interface JobHandler {

    /**
     * Runs one job.
     *
     * @return the job's output, reported as the result; null reports a result without output
     * @throws Exception to fail the job: the gateway gets the exception's message (at most 1000 characters,
     *                   the class name when it has none) and decides whether the job is tried again
     */
    JsonNode handle(Assignment assignment) throws Exception;
}
