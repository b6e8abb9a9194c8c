package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's demo as its script runs it under Maven ({@code src/demo/run-demo.sh}, started by the
 * exec plugin): it stops when Maven stops, whether Maven passes the signal on or not, a second start
 * while one runs says that the port is taken and exits, and {@code -Ddemo.fresh} imports the realm anew.
 */
class DemoScriptIT {

    private static final int PORT = 8490;
    private static final int MANAGEMENT_PORT = 9490;
    private static final Path SCRIPT = Path.of("src", "demo", "run-demo.sh").toAbsolutePath();
    private static final Path HOME = Path.of("target", "cluster", "demo-script").toAbsolutePath();

    private Maven maven;

    @AfterEach
    void stopAll() {
        if (maven != null) {
            maven.process().descendants().forEach(ProcessHandle::destroyForcibly);
            maven.kill();
        }
    }

    @Test
    void theDemoStopsWithMavenRefusesASecondStartAndStartsFresh() throws Exception {
        ClusterNodes.copyDistribution(HOME);
        maven = standInForMaven(HOME.resolve("first.log"), false);
        awaitDemoRealm();

        Process second = script(false).redirectErrorStream(true).start();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second start exits at once");
        String said = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, second.exitValue(), said);
        assertTrue(said.contains("Port " + PORT + " is already in use"), said);

        List<ProcessHandle> demo = maven.process().descendants().toList();
        maven.kill();
        awaitGone(demo);
        assertFalse(listening(PORT), "the port is free again");

        maven = standInForMaven(HOME.resolve("fresh.log"), true);
        awaitDemoRealm();
        String fresh = Files.readString(HOME.resolve("fresh.log"));
        assertTrue(fresh.contains("the demo realm is imported anew") && fresh.contains("Realm 'sms-demo' imported"), fresh);
        ProcessHandle runDemo = maven.process().children().findFirst().orElseThrow();
        demo = maven.process().descendants().toList();
        runDemo.destroy();   // SIGTERM, as Maven passes on when it is stopped with Ctrl+C
        awaitGone(demo);
        for (String log : List.of("first.log", "fresh.log")) {
            String text = Files.readString(HOME.resolve(log));
            assertFalse(text.contains("\tat ") || text.contains("Exception in thread"), "no stack trace in " + log + ":\n" + text);
        }
    }

    /** Maven as the exec plugin runs the script: its own process, and the console the script writes to. */
    private record Maven(Process process, Process console) {

        /** Killed, as an IDE's stop button may: nothing is passed on, and its console closes. */
        void kill() {
            process.destroyForcibly();
            console.destroyForcibly();
        }
    }

    /**
     * A shell in Maven's place: it starts the script as the exec plugin does and waits; the
     * script's output goes through a pipe that another process copies to {@code log}, as Maven
     * copies it to the console, so that when both end, a write to it fails as under Maven.
     */
    private static Maven standInForMaven(Path log, boolean fresh) throws IOException, InterruptedException {
        Path pipe = HOME.resolve(log.getFileName() + ".pipe");
        Files.deleteIfExists(pipe);
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
        Process console = new ProcessBuilder("cat", pipe.toString()).redirectOutput(log.toFile()).start();
        ProcessBuilder script = script(fresh);
        List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$@\" > \"$0\" 2>&1 & wait", pipe.toString()));
        command.addAll(script.command());
        return new Maven(script.command(command).start(), console);
    }

    private static ProcessBuilder script(boolean fresh) {
        ProcessBuilder script = new ProcessBuilder(SCRIPT.toString(), HOME.toString(), System.getProperty("sms.jar"), String.valueOf(fresh));
        script.environment().put("DEMO_PORT", String.valueOf(PORT));
        script.environment().put("DEMO_MANAGEMENT_PORT", String.valueOf(MANAGEMENT_PORT));
        return script;
    }

    private static void awaitDemoRealm() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/realms/sms-demo"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            KeycloakServer.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("the demo realm did not come up within 4 minutes");
    }

    private static void awaitGone(List<ProcessHandle> processes) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            KeycloakServer.sleep(Duration.ofMillis(200));
        }
        assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive), "Keycloak stopped with Maven: "
                + processes.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")).toList());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("localhost", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
