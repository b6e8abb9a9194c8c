package io.github.keycloaksms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

import io.github.keycloaksms.gateway.http.SmsHttpClient;

/** The shared HTTP client against a local server: one request per send, whatever the answer. */
class SmsHttpClientTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile Map<String, String> answerHeaders = Map.of();
    private volatile Duration stall = Duration.ZERO;
    private SmsHttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answerHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        client = new SmsHttpClient(SSLContext.getDefault());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sms");
    }

    private SmsHttpClient.Answer post() throws IOException {
        return client.post(url(), Map.of(), ContentType.APPLICATION_JSON, "{}");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 202, 400, 401, 429, 500, 502, 503})
    void everyAnswerComesFromExactlyOneRequest(int answer) throws Exception {
        status = answer;
        if (answer == 503 || answer == 429) {
            answerHeaders = Map.of("Retry-After", "1");
        }
        assertEquals(answer, post().status());
        assertEquals(1, requests.get());
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        status = 302;
        answerHeaders = Map.of("Location", "http://127.0.0.1:1/elsewhere");
        assertEquals(302, post().status());
        assertEquals(1, requests.get());
    }

    @Test
    void aStalledServerIsAbandonedAtTheResponseTimeout() {
        stall = SmsHttpClient.DEADLINE.plusSeconds(5);
        Instant start = Instant.now();
        assertThrows(IOException.class, this::post);
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(SmsHttpClient.DEADLINE.plusSeconds(1)) < 0, "took " + took);
        assertEquals(1, requests.get());
    }

    @Test
    void aRefusedConnectionFailsFast() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Instant start = Instant.now();
        assertThrows(IOException.class,
                () -> client.post(URI.create("http://127.0.0.1:" + closedPort + "/"), Map.of(), ContentType.APPLICATION_JSON, "{}"));
        assertTrue(Duration.between(start, Instant.now()).compareTo(SmsHttpClient.CONNECT_TIMEOUT.plusSeconds(1)) < 0);
    }
}
