package io.github.keycloaksms.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.testing.LocalHttpServer;

/** The shared HTTP client against a local server: one request per send, whatever the answer. */
class SmsHttpClientTest {

    private LocalHttpServer server;
    private volatile int status = 200;
    private volatile Map<String, String> answerHeaders = Map.of();
    private volatile Duration stall = Duration.ZERO;
    private SmsHttpClient client;

    /** What an operator's {@code allowed-hosts=127.0.0.1} makes of the policy. */
    private static final OutboundPolicy LOCAL = new OutboundPolicy(Set.of("127.0.0.1"), Set.of());
    private static final OutboundPolicy DEFAULT = new OutboundPolicy(Set.of(), Set.of());

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer(request -> new LocalHttpServer.Reply(status, null, answerHeaders, "<html>oops</html>", stall, Duration.ZERO));
        client = new SmsHttpClient(SSLContext.getDefault());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + "/sms");
    }

    private GatewayHttp.Answer post() throws IOException {
        try {
            return client.post(url(), LOCAL, Map.of(), ContentType.APPLICATION_JSON, "{}");
        } catch (GatewayHttp.Refused e) {
            throw new AssertionError("the local server is a listed host", e);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 202, 400, 401, 429, 500, 502, 503})
    void everyAnswerComesFromExactlyOneRequest(int answer) throws Exception {
        status = answer;
        if (answer == 503 || answer == 429) {
            answerHeaders = Map.of("Retry-After", "1");
        }
        assertEquals(answer, post().status());
        assertEquals(1, server.received().size());
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        status = 302;
        answerHeaders = Map.of("Location", "http://127.0.0.1:1/elsewhere");
        assertEquals(302, post().status());
        assertEquals(1, server.received().size());
    }

    @Test
    void aStalledServerIsAbandonedAtTheResponseTimeout() {
        stall = SmsHttpClient.DEADLINE.plusSeconds(5);
        Instant start = Instant.now();
        assertThrows(IOException.class, this::post);
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(SmsHttpClient.DEADLINE.plusSeconds(1)) < 0, "took " + took);
        assertEquals(1, server.received().size());
    }

    @Test
    void aRefusedConnectionFailsFast() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Instant start = Instant.now();
        assertThrows(IOException.class,
                () -> client.post(URI.create("http://127.0.0.1:" + closedPort + "/"), LOCAL, Map.of(), ContentType.APPLICATION_JSON, "{}"));
        assertTrue(Duration.between(start, Instant.now()).compareTo(SmsHttpClient.CONNECT_TIMEOUT.plusSeconds(1)) < 0);
    }

    @Test
    void withoutTheOperatorsListNoLocalAddressIsReachedInAnySpelling() {
        for (String url : new String[] {"https://127.0.0.1:" + server.port() + "/sms",
                "https://localhost:" + server.port() + "/sms",
                "https://[::ffff:127.0.0.1]:" + server.port() + "/sms",
                "https://[::1]/sms", "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/",
                "https://10.0.0.1/", "https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/",
                "http://2130706433/", "http://0x7f000001/", "http://example.org/"}) {
            assertThrows(GatewayHttp.Refused.class,
                    () -> client.post(URI.create(url), DEFAULT, Map.of(), ContentType.APPLICATION_JSON, "{}"), url);
        }
        assertEquals(0, server.received().size());
    }

    @Test
    void aListingAllowsTheListedHostsOnly() throws Exception {
        assertEquals(200, post().status());
        assertThrows(GatewayHttp.Refused.class,
                () -> client.post(URI.create("https://localhost:1/"), LOCAL, Map.of(), ContentType.APPLICATION_JSON, "{}"));
        assertEquals(1, server.received().size());
    }

    @Test
    void throughAProxyAnUnlistedHostMustResolveHereToAPublicAddress() throws Exception {
        EgressProxies toLocalServer = EgressProxies.of(new String[] {".*;http://127.0.0.1:" + server.port()}, null, null);
        try (SmsHttpClient proxied = new SmsHttpClient(SSLContext.getDefault(), toLocalServer)) {
            GatewayHttp.Refused unresolvable = assertThrows(GatewayHttp.Refused.class, () -> proxied.post(
                    URI.create("https://sms.does-not-resolve.invalid/send"), DEFAULT, Map.of(), ContentType.APPLICATION_JSON, "{}"));
            assertTrue(unresolvable.getMessage().contains("does not resolve on this server"), unresolvable.getMessage());
            GatewayHttp.Refused loopback = assertThrows(GatewayHttp.Refused.class, () -> proxied.post(
                    URI.create("https://localhost/send"), DEFAULT, Map.of(), ContentType.APPLICATION_JSON, "{}"));
            assertTrue(loopback.getMessage().contains("not a public Internet address"), loopback.getMessage());
        }
        assertEquals(0, server.received().size(), "the proxy was never asked");
    }
}
