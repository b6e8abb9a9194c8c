package io.github.keycloaksms.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.github.keycloaksms.gateway.sns.FakeSns;

/**
 * The real Keycloak distribution (unpacked by the build into target/keycloak-dist) with our
 * shaded JAR as a provider. {@link #shared()} is the dev-mode server most tests use, started once
 * per JVM; the cluster test starts production-mode nodes of its own.
 */
public final class KeycloakServer {

    public static final int HTTP_PORT = 8180;
    public static final int MANAGEMENT_PORT = 9100;
    public static final String BASE_URL = "http://localhost:" + HTTP_PORT;
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-it-password";

    /** Where tests put vault secrets: the files-plaintext vault reads {@code <realm>_<name>} files here. */
    public static final Path VAULT_DIR = Path.of("target", "it-vault").toAbsolutePath();

    /** Hosts the gateways may reach in the tests: the local fakes (the operator option under test). */
    public static final String ALLOWED_HOSTS = "localhost," + RecordingProxy.PROXIED_HOST;

    /**
     * What an operator sets to let the gateways that speak HTTP themselves reach the tests' local fakes;
     * Twilio's own host stays allowed, as the docs' examples name it.
     */
    public static final List<String> LOCAL_GATEWAY_OPTIONS = List.of(
            "--spi-sms-gateway--webhook--allowed-hosts=" + ALLOWED_HOSTS,
            "--spi-sms-gateway--twilio--allowed-hosts=" + ALLOWED_HOSTS + ",api.twilio.com",
            "--spi-sms-gateway--twilio-verify--allowed-hosts=" + ALLOWED_HOSTS,
            "--spi-sms-gateway--telegram--allowed-hosts=" + ALLOWED_HOSTS,
            "--spi-sms-gateway--whatsapp--allowed-hosts=" + ALLOWED_HOSTS);

    /** What an operator sets to use the development gateway on a production-mode server. */
    public static final String LOG_GATEWAY_IN_PRODUCTION = "--spi-sms-gateway--log--allow-in-production=true";

    /** How long the shared server leaves a failing webhook alone: short, so a test sees the circuit close. */
    public static final int CIRCUIT_COOL_OFF_SECONDS = 2;

    private static KeycloakServer shared;
    private static RecordingProxy egressProxy;
    private static FakeSns sns;
    /** The AWS credentials the shared server has in its environment, for the default credential chain. */
    public static final String SERVER_AWS_KEY_ID = "AKIASERVERENVIRONMENT";

    private final Path home;
    private final int httpPort;
    private final int managementPort;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final List<String> log = new ArrayList<>();
    private Process process;

    public KeycloakServer(Path home, int httpPort, int managementPort, List<String> arguments, Map<String, String> environment) {
        this.home = home;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
    }

    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            Path home = distribution();
            try {
                Files.createDirectories(VAULT_DIR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            installProviders(home);
            List<String> arguments = new ArrayList<>(List.of("start-dev",
                    "--db=dev-mem",
                    "--log-level=INFO,io.github.keycloaksms:debug",
                    "--vault=file",
                    "--vault-dir=" + VAULT_DIR));
            arguments.addAll(LOCAL_GATEWAY_OPTIONS);
            try {
                egressProxy = new RecordingProxy();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            arguments.add("--spi-connections-http-client-default-proxy-mappings=" + egressProxy.mapping());
            sns = new FakeSns();
            arguments.add("--spi-sms-gateway--sns--endpoint-url=" + sns.url());
            arguments.add("--spi-sms-gateway--sns--allow-server-credentials=true");
            arguments.add("--spi-sms-gateway--webhook--" + "circuit-cool-off=" + CIRCUIT_COOL_OFF_SECONDS);
            shared = new KeycloakServer(home, HTTP_PORT, MANAGEMENT_PORT, arguments,
                    Map.of("AWS_ACCESS_KEY_ID", SERVER_AWS_KEY_ID, "AWS_SECRET_ACCESS_KEY", "server-environment-secret"));
            shared.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** The egress proxy the shared server sends requests for {@code *.proxied.test} through. */
    public static RecordingProxy egressProxy() {
        shared();
        return egressProxy;
    }

    /** The local AWS SNS the shared server's sns gateway publishes to (its operator's endpoint-url). */
    public static FakeSns sns() {
        shared();
        return sns;
    }

    /** The unpacked distribution the build made. */
    public static Path distribution() {
        return Path.of(requiredProperty("keycloak.home"));
    }

    /** Puts our shaded JAR and the test's third-party gateway JAR, and nothing else, into providers/. */
    public static void installProviders(Path home) {
        Path jar = Path.of(requiredProperty("sms.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged JAR at " + jar + ": run the integration tests through 'mvnw verify'");
        }
        Path providers = home.resolve("providers");
        try (DirectoryStream<Path> old = Files.newDirectoryStream(providers, "*.jar")) {
            for (Path file : old) {
                Files.delete(file);
            }
            Files.copy(jar, providers.resolve("keycloak-sms-authenticator.jar"), StandardCopyOption.REPLACE_EXISTING);
            ThirdPartyJar.write(providers.resolve("third-party-sms-gateway.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time used so far by kc.sh and the JVM it starts. */
    public synchronized Duration cpuTime() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    public Path home() {
        return home;
    }

    public int managementPort() {
        return managementPort;
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** Starts the server (again, after {@link #stop()}) and waits until it is ready. */
    public synchronized void start() {
        for (int port : new int[] {httpPort, managementPort}) {
            try (Socket taken = new Socket("localhost", port)) {
                throw new IllegalStateException("port " + port + " is in use: is an earlier Keycloak still running?");
            } catch (IOException free) {
                // nobody listens: ours to take
            }
        }
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.addAll(arguments);
        command.addAll(List.of("--http-port=" + httpPort, "--http-management-port=" + managementPort,
                "--health-enabled=true", "--metrics-enabled=true"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Keycloak from " + home, e);
        }
        pumpLog(process);
        awaitReady(Duration.ofMinutes(5));
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the integration tests through 'mvnw verify'");
        }
        return value;
    }

    private void pumpLog(Process process) {
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
                        HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/health/ready")).build(),
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

    public synchronized void stop() {
        if (process == null) {
            return;
        }
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
        return awaitLines(mark, matches, line -> true, timeout).map(lines -> lines.get(0));
    }

    /**
     * Waits for a line after {@code mark} that matches {@code first} and for the first line from it on
     * that matches {@code last}; gives the lines from the one to the other.
     */
    public Optional<List<String>> awaitLines(int mark, Predicate<String> first, Predicate<String> last, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        synchronized (log) {
            int start = -1;
            int next = mark;
            while (true) {
                for (; next < log.size(); next++) {
                    if (start < 0 && first.test(log.get(next))) {
                        start = next;
                    }
                    if (start >= 0 && last.test(log.get(next))) {
                        return Optional.of(List.copyOf(log.subList(start, next + 1)));
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
