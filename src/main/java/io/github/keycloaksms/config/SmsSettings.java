package io.github.keycloaksms.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.limits.PumpingWatch;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.phone.PhoneNumber;
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
        CodePolicy resetCodePolicy,
        int maxResetTriesPerAccountPerDay,
        SendLimits.Policy sendLimits,
        boolean verifyOnly,
        boolean uniqueNumbers,
        boolean voiceEnabled,
        List<ChannelChoice> channels,
        PumpingWatch.Policy pumpingWatch,
        boolean backoffPerNumber,
        Map<String, String> testNumbers,
        Map<String, String> raw) {

    /** The fallback gateway's choice for "no fallback": a word, not a blank line, in the admin console. */
    public static final String NO_FALLBACK = "none";
    /** Per login, user, number and address: beyond this, limits stop being limits. */
    public static final int MAX_SEND_LIMIT = 100;
    public static final int MAX_SEND_BUDGET = 100_000;

    public static final Setting GATEWAY = Setting.gateway(GatewayConfig.GATEWAY, "SMS gateway",
            "Where codes are sent through.", null);
    public static final Setting FALLBACK_GATEWAY = Setting.gateway("fallbackGateway", "Fallback gateway",
            "Tried once when the SMS gateway fails for a passing reason (timeout, 5xx, 429).", NO_FALLBACK);
    public static final Setting FROM = Setting.of(GatewayConfig.FROM, "Sender",
            "Sender number in E.164 form, an alphanumeric sender id, or a Twilio Messaging Service SID (MG...).", Setting.Kind.TEXT);
    public static final Setting DEFAULT_REGION = Setting.of("defaultRegion", "Default region",
            "ISO 3166 region (e.g. DE) for numbers typed without a leading +. Empty: users must type the country code.",
            Setting.Kind.REGION);
    public static final Setting ALLOWED_REGIONS = Setting.of("allowedRegions", "Allowed regions",
            "ISO 3166 regions whose numbers may be enrolled and receive codes (e.g. DE, AT, CH); checked at every send. "
                    + "Empty: all regions except international networks (+800, +870, +881...), which only 001 allows.",
            Setting.Kind.REGIONS);
    public static final Setting CODE_LENGTH = Setting.numberChoice("codeLength", "Code length", "Digits per code.",
            6, OneTimeCodes.MIN_LENGTH, OneTimeCodes.MAX_LENGTH);
    public static final Setting CODE_TTL = Setting.number("codeTtl", "Code lifetime (seconds)",
            "How long a code can be used, in seconds.", 300, 30, 600);
    public static final Setting MAX_ATTEMPTS = Setting.number("maxAttempts", "Attempts per code",
            "Wrong entries allowed per code; then the code is dead and the user must request a new one.", 5, 1, 10);
    public static final Setting RESEND_COOLDOWN = Setting.number("resendCooldown", "Resend cooldown (seconds)",
            "Seconds between two codes sent to one number in one login or enrollment.", 30, 0, 3600);
    public static final Setting RESET_CODE_LENGTH = Setting.numberChoice("resetCodeLength", "Reset code length",
            "Digits per code of a password reset by SMS: longer, since it is the only factor there (see docs/security.md).",
            8, OneTimeCodes.MIN_LENGTH, OneTimeCodes.MAX_LENGTH);
    public static final Setting MAX_RESET_TRIES_PER_ACCOUNT_PER_DAY = Setting.number("maxResetTriesPerAccountPerDay",
            "Reset codes tried per account per day", "Codes that may be tried for one account at reset by SMS in a day (UTC), "
                    + "right or wrong, from every session, name and address; beyond them, no reset code is accepted for the "
                    + "account until the next day.", 5, 1, 20);
    public static final Setting MAX_SENDS_PER_LOGIN = Setting.number("maxSendsPerLogin", "Codes per login",
            "Codes one login or enrollment may request, resends included.", 5, 1, MAX_SEND_LIMIT);
    public static final Setting MAX_SENDS_PER_USER_PER_DAY = Setting.number("maxSendsPerUserPerDay", "Codes per user per day",
            "Codes one user may receive in 24 hours, on all numbers.", 10, 1, MAX_SEND_LIMIT);
    public static final Setting MAX_SENDS_PER_NUMBER_PER_DAY = Setting.number("maxSendsPerNumberPerDay", "Codes per number per day",
            "Codes one number may receive in 24 hours, from all accounts.", 10, 1, MAX_SEND_LIMIT);
    public static final Setting MAX_SENDS_PER_IP_PER_HOUR = Setting.number("maxSendsPerIpPerHour", "Codes per client IP per hour",
            "Codes requested from one client IP address in an hour.", 30, 1, MAX_SEND_LIMIT);
    public static final Setting MAX_SENDS_PER_COUNTRY_PER_HOUR = Setting.number("maxSendsPerCountryPerHour",
            "Codes per country per hour", "Budget against SMS pumping: codes sent to the numbers of one country calling code "
                    + "in an hour, from all users. About three times your busiest hour to your largest country.",
            500, 1, MAX_SEND_BUDGET);
    public static final Setting MAX_SENDS_PER_REALM_PER_HOUR = Setting.number("maxSendsPerRealmPerHour", "Codes per realm per hour",
            "Budget against SMS pumping: all codes this realm sends in an hour. About three times your busiest hour.",
            1000, 1, MAX_SEND_BUDGET);
    public static final Setting MAX_VISITOR_SENDS_PER_COUNTRY_PER_HOUR = Setting.number("maxVisitorSendsPerCountryPerHour",
            "Codes per country per hour, asked by visitors", "The same budget, apart, for the codes that visitors who proved "
                    + "nothing ask for (phone sign-in, sign-up, reset by SMS): when they use it up, second-factor and enrollment "
                    + "codes still go out.", 500, 1, MAX_SEND_BUDGET);
    public static final Setting MAX_VISITOR_SENDS_PER_REALM_PER_HOUR = Setting.number("maxVisitorSendsPerRealmPerHour",
            "Codes per realm per hour, asked by visitors", "The same budget, apart, for all codes that visitors who proved "
                    + "nothing ask for in this realm (phone sign-in, sign-up, reset by SMS).", 1000, 1, MAX_SEND_BUDGET);
    public static final Setting PUMPING_WATCH = Setting.word("pumpingWatch", "SMS pumping watch",
            "Pauses a country or number prefix whose codes are sent but rarely entered (what SMS pumping looks like), for "
                    + "phone sign-in, sign-up and reset only: off; monitor (logs and events of what it would pause, nothing "
                    + "refused: try it on a live realm first); enforce.", "monitor", List.of("off", "monitor", "enforce"));
    public static final Setting PUMPING_WINDOW_MINUTES = Setting.number("pumpingWindowMinutes", "Pumping watch: window (minutes)",
            "How far back the watch counts codes sent and entered.", 60, 10, 1440);
    public static final Setting PUMPING_MIN_SENDS_PER_PREFIX = Setting.number("pumpingMinSendsPerPrefix",
            "Pumping watch: codes per prefix before judging", "Codes a number prefix (the number without its last four digits) "
                    + "must have been sent in the window before it can be paused.", 20, 5, MAX_SEND_BUDGET);
    public static final Setting PUMPING_MIN_SENDS_PER_COUNTRY = Setting.number("pumpingMinSendsPerCountry",
            "Pumping watch: codes per country before judging", "Codes a country calling code must have been sent in the window "
                    + "before the whole country can be paused.", 200, 20, MAX_SEND_BUDGET);
    public static final Setting PUMPING_MIN_CONVERSION_PERCENT = Setting.number("pumpingMinConversionPercent",
            "Pumping watch: least share entered (%)", "A country or prefix is paused when fewer than this share of its codes "
                    + "in the window were entered; real users enter most of theirs.", 20, 1, 90);
    public static final Setting PUMPING_PAUSE_MINUTES = Setting.number("pumpingPauseMinutes", "Pumping watch: pause (minutes)",
            "How long a pause lasts; an admin can lift it earlier (admin REST /sms/pauses).", 720, 10, 10080);
    public static final Setting BACKOFF_PER_NUMBER = Setting.onOff("backoffPerNumber", "Backoff per number",
            "Codes that strangers ask for one number (phone sign-in, sign-up) or one account (reset): after the first two, each "
                    + "waits twice as long as the one before, from 1 to 32 minutes, shown as the resend countdown; a day without "
                    + "codes forgets. A browser that signed in with the number before is exempt.", true);
    public static final Setting TEST_NUMBERS = Setting.of("testNumbers", "Test numbers",
            "+number=code pairs, comma-separated (e.g. +15555550100=123456), for app-store reviews and CI: an account that holds "
                    + "such a number gets no SMS at login and phone sign-in, and signs in with the fixed code; each use is an event. "
                    + "Only where the operator allows them (" + TestNumbers.OPTION + ").", Setting.Kind.TEXT);
    public static final Setting VERIFY_ONLY = Setting.onOff("verifyOnly", "Verify only",
            "Use the number only to prove the user has it at enrollment; keep only a keyed hash, so it cannot be used to log in "
                    + "but cannot be reused either.", false);
    public static final Setting UNIQUE_NUMBERS = Setting.onOff("uniqueNumbers", "Unique numbers",
            "A number enrolled by one user cannot be enrolled by another user of this realm.", true);
    public static final Setting VOICE_ENABLED = Setting.onOff("voiceEnabled", "Call me instead",
            "Offer a voice call that reads the code, after the first SMS, under the same limits; landline numbers may then be "
                    + "enrolled and get calls only. Needs a gateway that can call (twilio) and a phone number as sender.", false);
    public static final Setting CHANNELS = Setting.of("channels", "Channels",
            "How codes reach a number, in order: sms (through the SMS gateway above), whatsapp=<gateway>, telegram=<gateway>, "
                    + "naming one of the realm's gateways of that kind. The first is tried first; when a send fails there (no "
                    + "WhatsApp or Telegram on the number, a provider error), the next at once. The code page offers the others "
                    + "(\"Send by SMS instead\"). Empty: sms.", Setting.Kind.CHANNELS, ChannelChoice.SMS);
    public static final Setting PHONE_ATTRIBUTE = Setting.of("phoneAttribute", "Number from profile attribute",
            "A user-profile attribute (e.g. phoneNumber, from LDAP or an identity provider). A user without an SMS number who "
                    + "has it is asked at login to confirm that number with a code; it is never used unproved. Empty: off.",
            Setting.Kind.ATTRIBUTE);

    /** Every realm-wide setting, in the order of the admin console's form; the gateways add their own after them. */
    public static final List<Setting> ALL = List.of(GATEWAY, FALLBACK_GATEWAY, FROM, DEFAULT_REGION, ALLOWED_REGIONS, CODE_LENGTH,
            CODE_TTL, MAX_ATTEMPTS, RESEND_COOLDOWN, RESET_CODE_LENGTH, MAX_RESET_TRIES_PER_ACCOUNT_PER_DAY, MAX_SENDS_PER_LOGIN, MAX_SENDS_PER_USER_PER_DAY, MAX_SENDS_PER_NUMBER_PER_DAY,
            MAX_SENDS_PER_IP_PER_HOUR, MAX_SENDS_PER_COUNTRY_PER_HOUR, MAX_SENDS_PER_REALM_PER_HOUR,
            MAX_VISITOR_SENDS_PER_COUNTRY_PER_HOUR, MAX_VISITOR_SENDS_PER_REALM_PER_HOUR, PUMPING_WATCH, PUMPING_WINDOW_MINUTES,
            PUMPING_MIN_SENDS_PER_PREFIX, PUMPING_MIN_SENDS_PER_COUNTRY, PUMPING_MIN_CONVERSION_PERCENT, PUMPING_PAUSE_MINUTES,
            BACKOFF_PER_NUMBER, TEST_NUMBERS, VERIFY_ONLY, UNIQUE_NUMBERS,
            VOICE_ENABLED, CHANNELS, PHONE_ATTRIBUTE);

    /** The kind of one of the realm's named gateways: a field of the gateway, not of the realm's settings. */
    public static final Setting GATEWAY_KIND = Setting.gateway("kind", "Kind", "The provider this gateway sends through.", null);
    /** A named gateway's own sender: a field of the gateway, not of the realm's settings. */
    public static final Setting GATEWAY_FROM = Setting.of(GatewayConfig.FROM, "Sender",
            "This gateway's sender, in the same forms as the realm's. Empty: the realm's sender.", Setting.Kind.TEXT);

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

        int codeLength = reader.integer(CODE_LENGTH);
        int ttl = reader.integer(CODE_TTL);
        int maxAttempts = reader.integer(MAX_ATTEMPTS);
        int cooldown = reader.integer(RESEND_COOLDOWN);
        int resetCodeLength = reader.integer(RESET_CODE_LENGTH);
        int resetTries = reader.integer(MAX_RESET_TRIES_PER_ACCOUNT_PER_DAY);
        SendLimits.Policy limits = new SendLimits.Policy(Duration.ofSeconds(cooldown), reader.integer(MAX_SENDS_PER_LOGIN),
                reader.integer(MAX_SENDS_PER_USER_PER_DAY), reader.integer(MAX_SENDS_PER_NUMBER_PER_DAY),
                reader.integer(MAX_SENDS_PER_IP_PER_HOUR),
                new SendLimits.Budgets(reader.integer(MAX_SENDS_PER_COUNTRY_PER_HOUR), reader.integer(MAX_SENDS_PER_REALM_PER_HOUR)),
                new SendLimits.Budgets(reader.integer(MAX_VISITOR_SENDS_PER_COUNTRY_PER_HOUR),
                        reader.integer(MAX_VISITOR_SENDS_PER_REALM_PER_HOUR)));
        String defaultRegion = reader.region(DEFAULT_REGION);
        Set<String> allowedRegions = reader.regions(ALLOWED_REGIONS);
        boolean verifyOnly = reader.bool(VERIFY_ONLY);
        boolean uniqueNumbers = reader.bool(UNIQUE_NUMBERS);
        boolean voiceEnabled = reader.bool(VOICE_ENABLED);
        List<ChannelChoice> channels = reader.channels(CHANNELS);
        reader.attributeName(PHONE_ATTRIBUTE);
        PumpingWatch.Policy pumping = new PumpingWatch.Policy(
                PumpingWatch.Mode.valueOf(reader.word(PUMPING_WATCH).toUpperCase(Locale.ROOT)),
                Duration.ofMinutes(reader.integer(PUMPING_WINDOW_MINUTES)), reader.integer(PUMPING_MIN_SENDS_PER_PREFIX),
                reader.integer(PUMPING_MIN_SENDS_PER_COUNTRY), reader.integer(PUMPING_MIN_CONVERSION_PERCENT),
                Duration.ofMinutes(reader.integer(PUMPING_PAUSE_MINUTES)));

        CodePolicy policy = new CodePolicy(codeLength, Duration.ofSeconds(ttl), maxAttempts, Duration.ofSeconds(cooldown));
        CodePolicy resetPolicy = new CodePolicy(resetCodeLength, Duration.ofSeconds(ttl), maxAttempts, Duration.ofSeconds(cooldown));
        String fallback = NO_FALLBACK.equals(blankToNull(raw.get(FALLBACK_GATEWAY.key()))) ? null : blankToNull(raw.get(FALLBACK_GATEWAY.key()));
        boolean backoff = reader.bool(BACKOFF_PER_NUMBER);
        Map<String, String> testNumbers = TestNumbers.parse(TEST_NUMBERS.key(), blankToNull(raw.get(TEST_NUMBERS.key())), problems);
        return new SmsSettings(blankToNull(raw.get(GATEWAY.key())), fallback,
                defaultRegion, allowedRegions, policy, resetPolicy, resetTries, limits, verifyOnly, uniqueNumbers, voiceEnabled, channels,
                pumping, backoff, testNumbers, raw);
    }

    public String get(String key) {
        return blankToNull(raw.get(key));
    }

    /** The gateway the realm's channels name for {@code channel} (whatsapp, telegram); empty for none, and for SMS. */
    public Optional<String> channelGateway(String channel) {
        return channels.stream().filter(choice -> choice.channel().equals(channel) && choice.gateway() != null)
                .map(ChannelChoice::gateway).findFirst();
    }

    /** The fixed code of a test number, where the operator allows test numbers; empty for every other number. */
    public Optional<String> testCode(PhoneNumber number) {
        return TestNumbers.allowed() ? Optional.ofNullable(testNumbers.get(number.e164())) : Optional.empty();
    }

    /** The user-profile attribute whose number users are asked to confirm, or null when off. */
    public String phoneAttribute() {
        return get(PHONE_ATTRIBUTE);
    }

    public String get(Setting setting) {
        return get(setting.key());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private record Reader(Map<String, String> raw, List<InvalidSettingsException.Problem> problems) {

        int integer(Setting setting) {
            String key = setting.key();
            int defaultValue = setting.defaultNumber();
            int min = setting.min();
            int max = setting.max();
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

        String word(Setting setting) {
            String value = blankToNull(raw.get(setting.key()));
            if (value == null) {
                return setting.defaultValue();
            }
            if (setting.words().contains(value.toLowerCase(Locale.ROOT))) {
                return value.toLowerCase(Locale.ROOT);
            }
            problems.add(InvalidSettingsException.Problem.of(setting.key(), "must be one of " + String.join(", ", setting.words())));
            return setting.defaultValue();
        }

        boolean bool(Setting setting) {
            String key = setting.key();
            boolean defaultValue = Boolean.parseBoolean(setting.defaultValue());
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

        void attributeName(Setting setting) {
            String key = setting.key();
            String value = blankToNull(raw.get(key));
            if (value != null && !value.matches("[A-Za-z0-9._-]{1,255}")) {
                problems.add(InvalidSettingsException.Problem.of(key, "must be a user-profile attribute name such as phoneNumber"));
            }
        }

        String region(Setting setting) {
            String key = setting.key();
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

        List<ChannelChoice> channels(Setting setting) {
            String value = blankToNull(raw.get(setting.key()));
            if (value == null) {
                return List.of(ChannelChoice.BY_SMS);
            }
            List<ChannelChoice> channels = new ArrayList<>();
            for (String entry : value.split(MULTIVALUE_DELIMITER + "|,")) {
                String[] parts = entry.strip().split("=", 2);
                String channel = parts[0].strip().toLowerCase(Locale.ROOT);
                String gateway = parts.length == 2 ? blankToNull(parts[1]) : null;
                if (channel.isEmpty()) {
                    continue;
                } else if (channels.stream().anyMatch(c -> c.channel().equals(channel))) {
                    problems.add(InvalidSettingsException.Problem.of(setting.key(), channel + " is listed twice"));
                } else if (channel.equals(ChannelChoice.SMS) && parts.length == 1) {
                    channels.add(ChannelChoice.BY_SMS);
                } else if (ChannelChoice.BY_GATEWAY.contains(channel) && gateway != null) {
                    channels.add(new ChannelChoice(channel, gateway));
                } else {
                    problems.add(InvalidSettingsException.Problem.of(setting.key(), "'" + entry.strip()
                            + "' is not a channel: sms, whatsapp=<gateway> or telegram=<gateway>"));
                }
            }
            return channels.isEmpty() ? List.of(ChannelChoice.BY_SMS) : List.copyOf(channels);
        }

        Set<String> regions(Setting setting) {
            String key = setting.key();
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
