package io.github.keycloaksms.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.gateway.InvalidSettingsException;

/**
 * Numbers that get a fixed code and no SMS, for app-store reviews and CI: the realm setting
 * {@code testNumbers}, {@code +number=code} pairs. They work only where the operator allows them
 * (in {@code kc.sh start-dev}, or with {@value #OPTION}), and only for accounts that hold them.
 */
public final class TestNumbers {

    public static final String ALLOW_OPTION = "allow-test-numbers";
    public static final String OPTION = "--spi-required-action--sms-register--" + ALLOW_OPTION + "=true";

    private static final Logger LOG = Logger.getLogger(TestNumbers.class);

    private static volatile boolean allowed;

    private TestNumbers() {
    }

    /** Set once at start from the server's mode and the operator's option. */
    public static void allow(boolean allow) {
        allowed = allow;
    }

    public static boolean allowed() {
        return allowed;
    }

    /** Says at start which realms have test numbers, and whether they work on this server. */
    public static void report(KeycloakSession session) {
        List<String> realms = session.realms().getRealmsStream()
                .filter(realm -> !RealmSmsSettings.storedConfig(realm).getOrDefault(SmsSettings.TEST_NUMBERS.key(), "").isBlank())
                .map(RealmModel::getName).sorted().toList();
        if (realms.isEmpty()) {
            return;
        }
        if (allowed) {
            LOG.warnf("SMS test numbers are set in realm(s) %s: accounts holding them sign in with fixed codes, no SMS is sent "
                    + "to them", String.join(", ", realms));
        } else {
            LOG.warnf("SMS test numbers are set in realm(s) %s but not honoured: they work only with %s", String.join(", ", realms),
                    OPTION);
        }
    }

    /** The pairs of a setting's value, E.164 number to code; each bad pair is added to {@code problems}. */
    static Map<String, String> parse(String key, String value, List<InvalidSettingsException.Problem> problems) {
        Map<String, String> numbers = new LinkedHashMap<>();
        if (value == null) {
            return numbers;
        }
        for (String pair : value.split("##|,")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.strip().split("=", 2);
            String number = parts[0].strip().replace(" ", "");
            if (parts.length != 2 || !number.matches("\\+[1-9][0-9]{6,14}") || !parts[1].strip().matches("[0-9]{6,8}")) {
                problems.add(InvalidSettingsException.Problem.of(key, "'" + pair.strip() + "' is not +number=code, with the number in "
                        + "E.164 form and a code of 6 to 8 digits"));
            } else {
                numbers.put(number, parts[1].strip());
            }
        }
        return Map.copyOf(numbers);
    }

    /**
     * Refuses test numbers when an admin saves them where the operator does not allow them. Settings
     * saved before the operator took the option away still load: their test numbers are then plain
     * numbers, and the server says so when it starts.
     */
    public static List<InvalidSettingsException.Problem> problems(SmsSettings settings) {
        return settings.testNumbers().isEmpty() || allowed ? List.of() : List.of(InvalidSettingsException.Problem.of(
                SmsSettings.TEST_NUMBERS.key(), "test numbers work only where the operator allows them: start Keycloak with " + OPTION));
    }
}
