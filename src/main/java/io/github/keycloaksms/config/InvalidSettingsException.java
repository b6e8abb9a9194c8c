package io.github.keycloaksms.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings an admin must fix; each problem names the key and says what is wrong in plain words.
 *
 * <p>Public SPI since 1.0 (gateways throw it from their checks), kept compatible within 1.x.
 */
public class InvalidSettingsException extends Exception {

    public record Problem(String key, String message) {
    }

    private final List<Problem> problems;

    public InvalidSettingsException(List<Problem> problems) {
        super(problems.stream().map(p -> p.key() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
