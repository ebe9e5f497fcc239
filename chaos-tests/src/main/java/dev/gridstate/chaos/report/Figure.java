package dev.gridstate.chaos.report;

/**
 * One figure a scenario checks, e.g. "client requests failed after the breaker opened".
 *
 * @param name     what is measured
 * @param measured the value seen, with its unit ("0", "1.4 s")
 * @param limit    what passes ("= 0", "≤ 6 s")
 * @param passed   whether the measured value is within the limit
 */
public record Figure(String name, String measured, String limit, boolean passed) {
}
