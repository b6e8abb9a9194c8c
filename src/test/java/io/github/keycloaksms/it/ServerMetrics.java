package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's /metrics, read before and after what a test does. */
final class ServerMetrics {

    private ServerMetrics() {
    }

    static String read() throws IOException, InterruptedException {
        return read(KeycloakServer.shared());
    }

    static String read(KeycloakServer server) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** How much the sample of {@code name} whose labels contain {@code labels} grew. */
    static long increase(String before, String after, String name, String labels) {
        return Math.round(sample(after, name, labels) - sample(before, name, labels));
    }

    private static double sample(String metrics, String name, String labels) {
        Matcher matcher = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            if (matcher.group(1).contains(labels)) {
                total += Double.parseDouble(matcher.group(2));
            }
        }
        return total;
    }
}
