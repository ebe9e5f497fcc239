package dev.gridstate.gateway.jobs;

import com.rabbitmq.client.AMQP;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * A job as it travels through RabbitMQ: the body is the payload exactly as the client sent it
 * (JSON), the rest travels in the message's properties, so neither side parses the payload.
 * The job id is the message id.
 */
record JobMessage(String jobId, String model, String version, int priority, int maxAttempts, String fingerprint,
                  long submittedAt, byte[] payload) {

    private static final String MODEL = "model";
    private static final String VERSION = "version";
    private static final String MAX_ATTEMPTS = "max-attempts";
    private static final String FINGERPRINT = "fingerprint";
    private static final String SUBMITTED_AT = "submitted-at";
    /** Set by quorum queues on a message delivered before. */
    private static final String DELIVERY_COUNT = "x-delivery-count";

    AMQP.BasicProperties properties() {
        Map<String, Object> headers = new HashMap<>();
        headers.put(MODEL, model);
        headers.put(VERSION, version);
        headers.put(MAX_ATTEMPTS, maxAttempts);
        headers.put(FINGERPRINT, fingerprint);
        headers.put(SUBMITTED_AT, submittedAt);
        return new AMQP.BasicProperties.Builder()
                .messageId(jobId)
                .contentType("application/json")
                .deliveryMode(2)
                .priority(priority)
                .timestamp(new Date(submittedAt))
                .headers(headers)
                .build();
    }

    /** A delivered message, or null if it is not one of ours (it is then dead-lettered, not retried). */
    static JobMessage from(AMQP.BasicProperties props, byte[] body) {
        Map<String, Object> h = props.getHeaders();
        if (props.getMessageId() == null || h == null || h.get(MODEL) == null || h.get(MAX_ATTEMPTS) == null) {
            return null;
        }
        try {
            return new JobMessage(props.getMessageId(), text(h.get(MODEL)), h.get(VERSION) == null ? "" : text(h.get(VERSION)),
                    props.getPriority() == null ? 0 : props.getPriority(),
                    ((Number) h.get(MAX_ATTEMPTS)).intValue(), text(h.get(FINGERPRINT)),
                    ((Number) h.get(SUBMITTED_AT)).longValue(), body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Earlier deliveries of this message (0 for the first). */
    static long deliveryCount(AMQP.BasicProperties props) {
        Map<String, Object> h = props.getHeaders();
        return h != null && h.get(DELIVERY_COUNT) instanceof Number n ? n.longValue() : 0;
    }

    /** What an assignment tells its node: {@code {"jobId","model","payload","attempt","leaseExpiresAt","leaseMs"}}. */
    String assignmentJson(long attempt, long leaseExpiresAt, long leaseMs) {
        // job ids are UUIDs and model names match Names.MODEL_PART: nothing to escape
        return "{\"jobId\":\"" + jobId + "\",\"model\":\"" + model + "\",\"payload\":"
                + new String(payload, StandardCharsets.UTF_8) + ",\"attempt\":" + attempt
                + ",\"leaseExpiresAt\":" + leaseExpiresAt + ",\"leaseMs\":" + leaseMs + "}";
    }

    private static String text(Object value) {
        return value.toString(); // the client hands header strings back as LongString
    }
}
