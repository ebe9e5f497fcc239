package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs jobs through the embedding program's {@link JobHandler}, each on a virtual thread of its own, and
 * reports how they ended. A handler that throws fails its job with the exception's message.
 */
final class JobRunner {

    static final int MAX_ERROR_CHARS = 1000;

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobHandler handler;
    private final ExecutorService executor;
    private final JobReporter reporter;

    JobRunner(JobHandler handler, ExecutorService executor, JobReporter reporter) {
        this.handler = handler;
        this.executor = executor;
        this.reporter = reporter;
    }

    /**
     * Runs the job, stops its lease renewals once the handler returns, and reports the outcome; then
     * {@code done} runs, also when the report was lost (but not when the agent closed before the job started).
     */
    void run(NodeSlot node, Job job, LeaseKeeper.Renewal lease, Runnable done) {
        try {
            executor.execute(() -> {
                Thread.currentThread().setName("job-" + job.id() + "@" + node.id());
                CompletableFuture<Void> reported;
                try {
                    reported = report(node, job, lease);
                } catch (RuntimeException | Error e) {
                    log.error("running {} failed before its outcome could be reported", job, e);
                    reported = CompletableFuture.completedFuture(null);
                }
                reported.whenComplete((ignored, error) -> done.run());
            });
        } catch (RejectedExecutionException e) {
            // only once the agent closes: the job's lease runs out and the gateway assigns it again
            lease.stop();
            log.debug("{} not started: the agent is closing", job);
        }
    }

    private CompletableFuture<Void> report(NodeSlot node, Job job, LeaseKeeper.Renewal lease) {
        JsonNode output;
        try {
            output = handler.handle(job.assignment());
        } catch (Exception | Error e) {
            // an Error too: the job must end with a report, or it would hold its slot forever
            lease.stop();
            if (e instanceof InterruptedException && executor.isShutdown()) {
                log.debug("{} interrupted as the agent closed; not reported", job);
                Thread.currentThread().interrupt();
                return CompletableFuture.completedFuture(null);
            }
            log.warn("{} failed", job, e);
            return reporter.failure(node, job, message(e));
        }
        lease.stop();
        try {
            return reporter.result(node, job, output);
        } catch (IllegalArgumentException e) {
            // e.g. a POJONode of something Jackson cannot write: the job must still end with a report
            log.warn("{}; reporting a failure instead", e.getMessage());
            return reporter.failure(node, job, message(e));
        }
    }

    /** The exception's message (its class name when it has none), cut to what the gateway keeps. */
    static String message(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank() ? failure.getClass().getName() : message;
        if (text.length() <= MAX_ERROR_CHARS) {
            return text;
        }
        // never cut a surrogate pair in half
        int end = Character.isHighSurrogate(text.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1 : MAX_ERROR_CHARS;
        return text.substring(0, end);
    }
}
