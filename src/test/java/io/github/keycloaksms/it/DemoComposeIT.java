package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml stays true to the build: it mounts files that exist, the JAR the build makes,
 * the one demo realm file, the Keycloak version we test, and its SMS sink works with our webhook
 * gateway, and Compose's own parser accepts it. (No container is started here: CI has no Docker
 * engine; {@code docker-compose config} parses without one.)
 */
class DemoComposeIT {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Pattern MOUNT = Pattern.compile("^\\s*- (\\./[^:]+):(/[^:]+)(:ro)?$", Pattern.MULTILINE);
    private static final Pattern ENV = Pattern.compile("^\\s+([A-Z][A-Z0-9_]+): (.+)$", Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+):[^}]*}");

    @Test
    void composeItselfAcceptsTheFile() throws Exception {
        Process check;
        try {
            check = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q").redirectErrorStream(true).start();
        } catch (IOException missing) {
            assertFalse(System.getenv("CI") != null, "docker-compose is missing on CI: .ci/run installs it");
            assumeTrue(false, "docker-compose is missing (apt-get install docker-compose): the file is not parsed by Compose");
            return;
        }
        String output = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), "docker-compose config: " + output);
    }

    @Test
    void everyMountedFileExistsAndTheRealmIsTheOneTheTestsImport() throws IOException {
        String compose = Files.readString(COMPOSE);
        Map<String, String> mounts = new LinkedHashMap<>();
        Matcher matcher = MOUNT.matcher(compose);
        while (matcher.find()) {
            mounts.put(matcher.group(2), matcher.group(1));
        }
        assertEquals(3, mounts.size(), mounts.toString());
        mounts.forEach((container, host) -> assertTrue(Files.isRegularFile(Path.of(host)), host + " (mounted at " + container + ") is missing"));

        Path realm = Path.of(mounts.get("/opt/keycloak/data/import/sms-demo-realm.json"));
        assertEquals(Path.of(System.getProperty("demo.realm")).toRealPath(), realm.toRealPath());
        assertEquals(Files.size(Path.of(System.getProperty("sms.jar"))),
                Files.size(Path.of(mounts.get("/opt/keycloak/providers/keycloak-sms-authenticator.jar"))), "the JAR of this build");
        String keycloakVersion = System.getProperty("keycloak.version");
        assertTrue(compose.contains("image: quay.io/keycloak/keycloak:" + keycloakVersion + "\n"), "Keycloak " + keycloakVersion);
    }

    @Test
    void composeSetsEveryPlaceholderOfTheRealmFileAndAllowsItsWebhookHost() throws IOException {
        Map<String, String> environment = new HashMap<>();
        Matcher env = ENV.matcher(Files.readString(COMPOSE));
        while (env.find()) {
            environment.put(env.group(1), env.group(2).strip());
        }
        Matcher placeholder = PLACEHOLDER.matcher(Files.readString(Path.of(System.getProperty("demo.realm"))));
        int placeholders = 0;
        while (placeholder.find()) {
            placeholders++;
            assertTrue(environment.containsKey(placeholder.group(1)), placeholder.group(1) + " is not set in docker-compose.yml");
        }
        assertEquals(2, placeholders);
        assertEquals("webhook", environment.get("SMS_DEMO_GATEWAY"));
        String sinkHost = URI.create(environment.get("SMS_DEMO_WEBHOOK_URL")).getHost();
        assertEquals(sinkHost, environment.get("KC_SPI_SMS_GATEWAY__WEBHOOK__ALLOWED_HOSTS"));
    }

    @Test
    void theSinkShowsWhatTheWebhookGatewaySends() throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is missing: the sink is not tried");
        assertFalse(listening(8025), "port 8025 is taken, by a sink left over from an earlier run or something else");
        TestRealm realm = TestRealm.create("compose-sink", r -> {
            Map<String, String> config = TestRealm.smsConfig(r);
            config.put("gateway", "webhook");
            config.put("webhookUrl", "http://localhost:8025/sms");
        });
        Process sink = new ProcessBuilder("python3", "src/demo/sms-sink.py").redirectErrorStream(true).start();
        try {
            awaitListening(8025);
            realm.createUser("sink-user");
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("sink-user", TestRealm.PASSWORD);
                browser.fill("phone", "+49 151 20000088").submit("send");
                Matcher code = Pattern.compile("#(\\d{6})").matcher(awaitSinkPage("+4915120000088"));
                assertTrue(code.find());
                browser.fill("code", code.group(1)).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
        } finally {
            realm.delete();
            sink.destroy();
        }
    }

    /** The sink is a process of its own: the webhook must not call it before it listens. */
    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100 && !listening(port); i++) {
            Thread.sleep(100);
        }
        assertTrue(listening(port), "the sink does not listen on port " + port);
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String awaitSinkPage(String expected) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(10);
        String page = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8025/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (page.contains(expected)) {
                    return page;
                }
            } catch (IOException e) {
                // the sink is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sink page does not show " + expected + ":\n" + page);
    }
}
