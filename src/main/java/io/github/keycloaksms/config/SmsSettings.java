package io.github.keycloaksms.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * The realm's SMS settings, parsed from the configuration of the {@code sms-register} required
 * action. Gateway-specific keys stay in {@link #raw()} for the gateway to read.
 */
public record SmsSettings(
        String gateway,
        String fallbackGateway,
        String defaultRegion,
        Set<String> allowedRegions,
        CodePolicy codePolicy,
        SendLimits.Policy sendLimits,
        boolean verifyOnly,
        boolean uniqueNumbers,
        boolean voiceEnabled,
        Map<String, String> raw) {

    public static final String GATEWAY = GatewayConfig.GATEWAY;
    public static final String FALLBACK_GATEWAY = "fallbackGateway";
    /** The fallback gateway's choice for "no fallback": a word, not a blank line, in the admin console. */
    public static final String NO_FALLBACK = "none";
    public static final String FROM = GatewayConfig.FROM;
    public static final String VERIFY_ONLY = "verifyOnly";
    public static final String UNIQUE_NUMBERS = "uniqueNumbers";
    public static final String VOICE_ENABLED = "voiceEnabled";
    public static final String PHONE_ATTRIBUTE = "phoneAttribute";
    public static final String DEFAULT_REGION = "defaultRegion";
    public static final String ALLOWED_REGIONS = "allowedRegions";
    public static final String CODE_LENGTH = "codeLength";
    public static final String CODE_TTL = "codeTtl";
    public static final String MAX_ATTEMPTS = "maxAttempts";
    public static final String RESEND_COOLDOWN = "resendCooldown";
    public static final String MAX_SENDS_PER_LOGIN = "maxSendsPerLogin";
    public static final String MAX_SENDS_PER_USER_PER_DAY = "maxSendsPerUserPerDay";
    public static final String MAX_SENDS_PER_NUMBER_PER_DAY = "maxSendsPerNumberPerDay";
    public static final String MAX_SENDS_PER_IP_PER_HOUR = "maxSendsPerIpPerHour";
    public static final String MAX_SENDS_PER_COUNTRY_PER_HOUR = "maxSendsPerCountryPerHour";
    public static final String MAX_SENDS_PER_REALM_PER_HOUR = "maxSendsPerRealmPerHour";

    public static final int DEFAULT_CODE_LENGTH = 6;
    public static final int DEFAULT_CODE_TTL = 300;
    public static final int MAX_CODE_TTL = 600;
    public static final int MIN_CODE_TTL = 30;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int MAX_MAX_ATTEMPTS = 10;
    public static final int DEFAULT_RESEND_COOLDOWN = 30;
    public static final int MAX_RESEND_COOLDOWN = 3600;
    public static final int DEFAULT_MAX_SENDS_PER_LOGIN = 5;
    public static final int DEFAULT_MAX_SENDS_PER_USER_PER_DAY = 10;
    public static final int DEFAULT_MAX_SENDS_PER_NUMBER_PER_DAY = 10;
    public static final int DEFAULT_MAX_SENDS_PER_IP_PER_HOUR = 30;
    public static final int DEFAULT_MAX_SENDS_PER_COUNTRY_PER_HOUR = 500;
    public static final int DEFAULT_MAX_SENDS_PER_REALM_PER_HOUR = 1000;
    /** Per login, user, number and address: beyond this, limits stop being limits. */
    public static final int MAX_SEND_LIMIT = 100;
    public static final int MAX_SEND_BUDGET = 100_000;

    /** How Keycloak joins the values of a multivalued config property. */
    private static final String MULTIVALUE_DELIMITER = "##";

    public static SmsSettings parse(Map<String, String> config) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        SmsSettings settings = parse(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    /** Parses what it can, with defaults in place of bad values, and adds each bad value to {@code problems}. */
    public static SmsSettings parse(Map<String, String> config, List<InvalidSettingsException.Problem> problems) {
        Map<String, String> raw = Map.copyOf(config);
        Reader reader = new Reader(raw, problems);

        int codeLength = reader.integer(CODE_LENGTH, DEFAULT_CODE_LENGTH, OneTimeCodes.MIN_LENGTH, OneTimeCodes.MAX_LENGTH);
        int ttl = reader.integer(CODE_TTL, DEFAULT_CODE_TTL, MIN_CODE_TTL, MAX_CODE_TTL);
        int maxAttempts = reader.integer(MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, MAX_MAX_ATTEMPTS);
        int cooldown = reader.integer(RESEND_COOLDOWN, DEFAULT_RESEND_COOLDOWN, 0, MAX_RESEND_COOLDOWN);
        SendLimits.Policy limits = new SendLimits.Policy(Duration.ofSeconds(cooldown),
                reader.integer(MAX_SENDS_PER_LOGIN, DEFAULT_MAX_SENDS_PER_LOGIN, 1, MAX_SEND_LIMIT),
                reader.integer(MAX_SENDS_PER_USER_PER_DAY, DEFAULT_MAX_SENDS_PER_USER_PER_DAY, 1, MAX_SEND_LIMIT),
                reader.integer(MAX_SENDS_PER_NUMBER_PER_DAY, DEFAULT_MAX_SENDS_PER_NUMBER_PER_DAY, 1, MAX_SEND_LIMIT),
                reader.integer(MAX_SENDS_PER_IP_PER_HOUR, DEFAULT_MAX_SENDS_PER_IP_PER_HOUR, 1, MAX_SEND_LIMIT),
                reader.integer(MAX_SENDS_PER_COUNTRY_PER_HOUR, DEFAULT_MAX_SENDS_PER_COUNTRY_PER_HOUR, 1, MAX_SEND_BUDGET),
                reader.integer(MAX_SENDS_PER_REALM_PER_HOUR, DEFAULT_MAX_SENDS_PER_REALM_PER_HOUR, 1, MAX_SEND_BUDGET));
        String defaultRegion = reader.region(DEFAULT_REGION);
        Set<String> allowedRegions = reader.regions(ALLOWED_REGIONS);
        boolean verifyOnly = reader.bool(VERIFY_ONLY, false);
        boolean uniqueNumbers = reader.bool(UNIQUE_NUMBERS, true);
        boolean voiceEnabled = reader.bool(VOICE_ENABLED, false);
        reader.attributeName(PHONE_ATTRIBUTE);

        CodePolicy policy = new CodePolicy(codeLength, Duration.ofSeconds(ttl), maxAttempts, Duration.ofSeconds(cooldown));
        String fallback = NO_FALLBACK.equals(blankToNull(raw.get(FALLBACK_GATEWAY))) ? null : blankToNull(raw.get(FALLBACK_GATEWAY));
        return new SmsSettings(blankToNull(raw.get(GATEWAY)), fallback,
                defaultRegion, allowedRegions, policy, limits, verifyOnly, uniqueNumbers, voiceEnabled, raw);
    }

    public String get(String key) {
        return blankToNull(raw.get(key));
    }

    /** The user-profile attribute whose number users are asked to confirm, or null when off. */
    public String phoneAttribute() {
        return get(PHONE_ATTRIBUTE);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private record Reader(Map<String, String> raw, List<InvalidSettingsException.Problem> problems) {

        int integer(String key, int defaultValue, int min, int max) {
            String value = blankToNull(raw.get(key));
            if (value == null) {
                return defaultValue;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(InvalidSettingsException.Problem.of(key, "must be a whole number from " + min + " to " + max));
            return defaultValue;
        }

        boolean bool(String key, boolean defaultValue) {
            String value = blankToNull(raw.get(key));
            if (value == null) {
                return defaultValue;
            }
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            problems.add(InvalidSettingsException.Problem.of(key, "must be true or false"));
            return defaultValue;
        }

        void attributeName(String key) {
            String value = blankToNull(raw.get(key));
            if (value != null && !value.matches("[A-Za-z0-9._-]{1,255}")) {
                problems.add(InvalidSettingsException.Problem.of(key, "must be a user-profile attribute name such as phoneNumber"));
            }
        }

        String region(String key) {
            String value = blankToNull(raw.get(key));
            if (value == null) {
                return null;
            }
            if (PhoneNumbers.isKnownRegion(value)) {
                return value.toUpperCase(Locale.ROOT);
            }
            problems.add(InvalidSettingsException.Problem.of(key, "'" + value + "' is not an ISO 3166 region code such as DE or US"));
            return null;
        }

        Set<String> regions(String key) {
            String value = blankToNull(raw.get(key));
            if (value == null) {
                return Set.of();
            }
            Set<String> regions = Arrays.stream(value.split(MULTIVALUE_DELIMITER + "|,"))
                    .map(String::strip)
                    .filter(r -> !r.isEmpty())
                    .map(r -> r.toUpperCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            List<String> unknown = regions.stream().filter(r -> !PhoneNumbers.isAllowableRegion(r)).sorted().toList();
            if (!unknown.isEmpty()) {
                problems.add(InvalidSettingsException.Problem.of(key, "unknown region codes: " + String.join(", ", unknown)));
            }
            return regions;
        }
    }
}
