package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the leases of a node's jobs from the moment they arrive until their handler returns:
 * {@code POST /v1/jobs/{id}/lease} every {@link Job#renewalInterval()}, one request at a time. A failed
 * renewal is simply sent again on the next tick; 409 lease_lost ends the renewals of that job (its
 * handler runs on, and its outcome is still reported), as does any other refusal.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final GatewayClient client;
    private final Registrar registrar;
    private final ScheduledExecutorService scheduler;
    private final Counters counters;
    private final Listeners listeners;

    LeaseKeeper(GatewayClient client, Registrar registrar, ScheduledExecutorService scheduler, Counters counters,
                Listeners listeners) {
        this.client = client;
        this.registrar = registrar;
        this.scheduler = scheduler;
        this.counters = counters;
        this.listeners = listeners;
    }

    /** Starts renewing the job's lease; the first renewal goes out one interval from now. */
    Renewal renew(NodeSlot node, Job job) {
        Renewal renewal = new Renewal(node, job);
        renewal.scheduleNext();
        return renewal;
    }

    /** The renewals of one job's lease. */
    final class Renewal {

        private final NodeSlot node;
        private final Job job;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> next;

        private Renewal(NodeSlot node, Job job) {
            this.node = node;
            this.job = job;
        }

        /** No renewal after this one; one already on the wire may still land. */
        void stop() {
            stopped = true;
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }

        private void scheduleNext() {
            if (stopped) {
                return;
            }
            try {
                next = scheduler.schedule(this::send, job.renewalInterval().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("scheduler is shut down; lease of {} is no longer renewed", job);
                stopped = true;
            }
        }

        private void send() {
            if (stopped) {
                return;
            }
            if (!node.isRegistered()) {
                // while the node re-registers its token is stale: the renewal would only be refused
                scheduleNext();
                return;
            }
            Call call = Call.of("POST", "/v1/jobs/" + job.id() + "/lease", () -> Wire.lease(job),
                    "lease renewal of " + job).withBearer(node::token);
            client.tryOnce(call).thenAccept(this::answered).exceptionally(e -> {
                log.error("handling the lease renewal answer of {} failed; no more renewals", job, e);
                stopped = true;
                return null;
            });
        }

        private void answered(Attempt attempt) {
            switch (attempt) {
                case Attempt.Answered answered -> answered(answered.response());
                case Attempt.Failed failed -> {
                    log.debug("lease renewal of {} failed ({}); trying again next tick", job, failed.reason());
                    scheduleNext();
                }
                case Attempt.Abandoned abandoned -> stopped = true;
            }
        }

        private void answered(GatewayResponse response) {
            if (response.isSuccess()) {
                counters.leaseRenewal();
                scheduleNext();
            } else if (response.status() == 401) {
                registrar.reRegister(node, "401 (node token refused) to a lease renewal");
                scheduleNext();
            } else if (response.status() == 409) {
                if (!stopped) {
                    stopped = true;
                    counters.leaseLost();
                    log.warn("lease of {} is lost ({}): the job was finished elsewhere or assigned again; "
                            + "its handler runs on and its outcome will be reported late", job,
                            response.body().path("error").asText("409"));
                    listeners.leaseLost(node.id(), job.id());
                }
            } else {
                stopped = true;
                GatewayError error = Wire.error(node.id(), "lease", response);
                counters.rejection();
                log.error("{} for {}; no more renewals", error, job);
                listeners.error(error);
            }
        }
    }
}
