package dev.gridstate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One reading of a service's Prometheus text ({@code GET /prometheus}), summed by metric name and
 * label filters: counters read at both ends of a window give exact rates over it.
 */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String text;

    Scrape(String text) {
        this.text = text;
    }

    /** The service's metrics now; an empty scrape (every sum NaN) when it did not answer 200. */
    static Scrape of(URI base) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/prometheus")).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Scrape(answer.statusCode() == 200 ? answer.body() : "");
        } catch (IOException e) {
            return new Scrape("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The sum of every series of {@code metric} whose labels contain each of {@code labels}
     * (written as in the text: {@code region="r01"}); NaN when no series matched.
     */
    double sum(String metric, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            if (!name.equals(metric) || !hasAll(brace >= 0 ? line.substring(brace, space) : "", labels)) {
                continue;
            }
            try {
                sum += Double.parseDouble(line.substring(space + 1).trim());
                found = true;
            } catch (NumberFormatException notANumber) {
                // a NaN gauge or a timestamp we do not read: not part of the sum
            }
        }
        return found ? sum : Double.NaN;
    }

    private static boolean hasAll(String labelSection, String[] labels) {
        for (String label : labels) {
            if (!labelSection.contains(label)) {
                return false;
            }
        }
        return true;
    }
}
