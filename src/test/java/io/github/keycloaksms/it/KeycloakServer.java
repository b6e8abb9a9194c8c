package io.github.keycloaksms.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real Keycloak distribution (unpacked by the build into target/keycloak-dist) with our
 * shaded JAR as its only provider, started once for all integration tests of a JVM.
 */
public final class KeycloakServer {

    public static final int HTTP_PORT = 8180;
    public static final int MANAGEMENT_PORT = 9100;
    public static final String BASE_URL = "http://localhost:" + HTTP_PORT;
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-it-password";

    private static KeycloakServer shared;

    private final Process process;
    private final List<String> log = new ArrayList<>();

    private KeycloakServer(Process process) {
        this.process = process;
    }

    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    private static KeycloakServer start() {
        Path home = Path.of(requiredProperty("keycloak.home"));
        Path jar = Path.of(requiredProperty("sms.jar"));
        try {
            Files.createDirectories(VAULT_DIR);
            installProvider(home, jar);
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--db=dev-mem",
                    "--http-port=" + HTTP_PORT,
                    "--http-management-port=" + MANAGEMENT_PORT,
                    "--health-enabled=true",
                    "--metrics-enabled=true",
                    "--vault=file",
                    "--vault-dir=" + VAULT_DIR,
                    "--spi-sms-gateway--webhook--allowed-hosts=" + WEBHOOK_ALLOWED_HOSTS)
                    .redirectErrorStream(true);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            KeycloakServer server = new KeycloakServer(builder.start());
            server.pumpLog();
            server.awaitReady(Duration.ofMinutes(4));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Keycloak from " + home, e);
        }
    }

    /** Where tests put vault secrets: the files-plaintext vault reads {@code <realm>_<name>} files here. */
    public static final Path VAULT_DIR = Path.of("target", "it-vault").toAbsolutePath();

    /** Hosts the webhook gateway may reach in the tests (the operator option under test). */
    public static final String WEBHOOK_ALLOWED_HOSTS = "127.0.0.1,localhost";

    private static void installProvider(Path home, Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged JAR at " + jar + ": run the integration tests through 'mvnw verify'");
        }
        Path providers = home.resolve("providers");
        try (DirectoryStream<Path> old = Files.newDirectoryStream(providers, "*.jar")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        Files.copy(jar, providers.resolve("keycloak-sms-authenticator.jar"), StandardCopyOption.REPLACE_EXISTING);
        ThirdPartyJar.write(providers.resolve("third-party-sms-gateway.jar"));
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the integration tests through 'mvnw verify'");
        }
        return value;
    }

    private void pumpLog() {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (log) {
                        log.add(line);
                        log.notifyAll();
                    }
                    if (Boolean.getBoolean("keycloak.log.echo")) {
                        System.out.println("[keycloak] " + line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "keycloak-log");
        pump.setDaemon(true);
        pump.start();
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited during start:\n" + String.join("\n", lines()));
            }
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + MANAGEMENT_PORT + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("Keycloak not ready within " + timeout + ":\n" + String.join("\n", lines()));
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every line the server has written so far. */
    public List<String> lines() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** A mark to look for lines written after now. */
    public int mark() {
        synchronized (log) {
            return log.size();
        }
    }

    public List<String> linesSince(int mark) {
        synchronized (log) {
            return List.copyOf(log.subList(mark, log.size()));
        }
    }

    /** Waits for a line after {@code mark} that matches. */
    public Optional<String> awaitLine(int mark, Predicate<String> matches, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (log) {
            int next = mark;
            while (true) {
                for (; next < log.size(); next++) {
                    if (matches.test(log.get(next))) {
                        return Optional.of(log.get(next));
                    }
                }
                long waitMillis = Duration.between(Instant.now(), deadline).toMillis();
                if (waitMillis <= 0) {
                    return Optional.empty();
                }
                try {
                    log.wait(waitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
