package io.github.keycloaksms.gateway;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings an admin must fix; each problem names the key and says what is wrong in plain words.
 * Gateways throw it from {@link SmsGatewayFactory#validate}.
 */
@PublicApi(unstable = true)
public class InvalidSettingsException extends Exception {

    /** One key and what is wrong with it. */
    @PublicApi(unstable = true)
    public static final class Problem {
        private final String key;
        private final String message;

        private Problem(String key, String message) {
            this.key = key;
            this.message = message;
        }

        /**
         * @param key     the setting's key, as the admin console names the field
         * @param message what is wrong, in plain words, without the value of a secret
         */
        public static Problem of(String key, String message) {
            return new Problem(key, message);
        }

        public String key() {
            return key;
        }

        public String message() {
            return message;
        }
    }

    private final List<Problem> problems;

    public InvalidSettingsException(List<Problem> problems) {
        super(problems.stream().map(p -> p.key() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** One problem. */
    public InvalidSettingsException(String key, String message) {
        this(List.of(Problem.of(key, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
