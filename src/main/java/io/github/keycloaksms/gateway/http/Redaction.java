package io.github.keycloaksms.gateway.http;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.keycloaksms.gateway.SmsMessage;

/** Takes a message's code and number out of texts from elsewhere (gateways' answers, error messages) for logs and events. */
public final class Redaction {

    /** The longest quote of a gateway's answer that goes into logs and events. */
    public static final int MAX_EXCERPT = 100;

    /** What people and gateways put between digits: spaces, dashes, dots, slashes, brackets. */
    private static final String SEPARATORS = "[\\s\\-./(),\\u00A0]*";

    private Redaction() {
    }

    /**
     * Blanks the message's code and number in {@code text}: the number also when written with
     * separators, with {@code 00} instead of {@code +}, or nationally without the country code.
     */
    public static String redact(SmsMessage message, String text) {
        if (text == null) {
            return "";
        }
        String country = String.valueOf(message.to().countryCode());
        String national = message.to().e164().substring(1 + country.length());
        Pattern number = Pattern.compile("(?:(?:(?:\\+|00)" + SEPARATORS + ")?" + spaced(country) + SEPARATORS
                + "|0" + SEPARATORS + ")?" + spaced(national));
        String withoutNumber = number.matcher(text).replaceAll(message.to().masked().replace("$", "\\$"));
        return message.code().isEmpty() ? withoutNumber
                : Pattern.compile(spaced(message.code())).matcher(withoutNumber).replaceAll("[code]");
    }

    /** A quote of a gateway's answer fit for logs and events: redacted, on one line, at most {@value #MAX_EXCERPT} characters. */
    public static String excerpt(SmsMessage message, String answer) {
        String cleaned = redact(message, answer).replaceAll("\\s+", " ").strip();
        return cleaned.length() <= MAX_EXCERPT ? cleaned : cleaned.substring(0, MAX_EXCERPT - 1) + "…";
    }

    private static String spaced(String digits) {
        return digits.chars().mapToObj(c -> Pattern.quote(String.valueOf((char) c))).collect(Collectors.joining(SEPARATORS));
    }
}
