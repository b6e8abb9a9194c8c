package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Production-mode Keycloak nodes ({@code kc.sh start}) on one PostgreSQL database, each from a
 * copy of the distribution of its own, clustered by Infinispan with JGroups' jdbc-ping discovery.
 */
final class ClusterNodes {

    /** The PostgreSQL server the tests may create databases on; .ci/run starts one. */
    static final String POSTGRES = System.getProperty("it.postgres", "127.0.0.1:5432");
    static final String POSTGRES_USER = System.getProperty("it.postgres.user", "postgres");

    private ClusterNodes() {
    }

    /** Drops and creates {@code database}; skips the test where there is no PostgreSQL, fails on CI. */
    static void freshDatabase(String database) {
        try (Connection connection = connect("postgres");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            String reason = "no PostgreSQL at " + POSTGRES + " for user " + POSTGRES_USER + " (" + e.getMessage() + ")";
            if (System.getenv("CI") != null) {
                fail(reason);
            }
            assumeTrue(false, reason + ": skipping the tests that need it");
        }
    }

    /** A connection to {@code database} on the tests' PostgreSQL (trust authentication: no password). */
    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/" + database, POSTGRES_USER, "");
    }

    /** A node named {@code name}, not started yet, with its own copy of the distribution. */
    static KeycloakServer node(String name, String database, int httpPort, int managementPort, int clusterPort, String... moreArguments) {
        Path home = Path.of("target", "cluster", name).toAbsolutePath();
        copyDistribution(home);
        KeycloakServer.installProviders(home);
        List<String> arguments = new ArrayList<>(List.of("start"));
        arguments.addAll(databaseOptions(database));
        arguments.addAll(List.of(
                "--cache=ispn",
                "--cache-stack=jdbc-ping",
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + clusterPort,
                "--http-enabled=true",
                "--hostname-strict=false"));
        arguments.addAll(KeycloakServer.LOCAL_GATEWAY_OPTIONS);
        arguments.addAll(List.of(moreArguments));
        return new KeycloakServer(home, httpPort, managementPort, arguments, Map.of("JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx1g"));
    }

    private static List<String> databaseOptions(String database) {
        return List.of("--db=postgres",
                "--db-url=jdbc:postgresql://" + POSTGRES + "/" + database,
                "--db-username=" + POSTGRES_USER,
                "--db-password=unused-with-trust-auth");
    }

    /** Runs one of kc.sh's offline commands (export, import) on a stopped node's database; fails when it does. */
    static void runOffline(KeycloakServer node, String database, String... command) {
        List<String> line = new ArrayList<>(List.of(node.home().resolve("bin/kc.sh").toString()));
        line.addAll(List.of(command));
        line.addAll(databaseOptions(database));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                fail(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh copy of the unpacked distribution at {@code home}, without its data. */
    static void copyDistribution(Path home) {
        Path distribution = KeycloakServer.distribution();
        try {
            if (Files.exists(home)) {
                try (Stream<Path> old = Files.walk(home)) {
                    for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            try (Stream<Path> files = Files.walk(distribution)) {
                for (Path source : files.filter(f -> !f.startsWith(distribution.resolve("data"))).toList()) {
                    Path target = home.resolve(distribution.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
