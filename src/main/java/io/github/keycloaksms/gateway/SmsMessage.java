package io.github.keycloaksms.gateway;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * One SMS to send. {@link #toString()} leaves out the code and the text.
 *
 * <p>Public SPI since 1.0, kept compatible within 1.x.
 *
 * @param to     the recipient
 * @param text   the full text, rendered in the user's language
 * @param code   the code alone, for gateways whose payload carries it separately
 * @param ttl    how long the code lives
 * @param locale the user's language
 * @param realm  the realm's name
 * @param user   who the code is for
 */
public record SmsMessage(PhoneNumber to, String text, String code, Duration ttl, Locale locale, String realm, Recipient user) {

    /** The longest quote of a gateway's answer that goes into logs and events. */
    public static final int MAX_EXCERPT = 100;

    /** What people and gateways put between digits: spaces, dashes, dots, slashes, brackets. */
    private static final String SEPARATORS = "[\\s\\-./(),\\u00A0]*";

    /** The user, as far as a message template may use them. */
    public record Recipient(String id, String username, String email, String firstName, String lastName) {
    }

    /** The same message, for a user known only now. */
    public SmsMessage withUser(Recipient recipient) {
        return new SmsMessage(to, text, code, ttl, locale, realm, recipient);
    }

    /** The same code, said otherwise: the text a voice call reads out. */
    public SmsMessage withText(String spoken) {
        return new SmsMessage(to, spoken, code, ttl, locale, realm, user);
    }

    /**
     * Blanks this message's code and number in a text from elsewhere (a gateway's answer, an
     * error message), for logs and events: the number also when written with separators, with
     * {@code 00} instead of {@code +}, or nationally without the country code.
     */
    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String country = String.valueOf(to.countryCode());
        String national = to.e164().substring(1 + country.length());
        Pattern number = Pattern.compile("(?:(?:(?:\\+|00)" + SEPARATORS + ")?" + spaced(country) + SEPARATORS
                + "|0" + SEPARATORS + ")?" + spaced(national));
        String withoutNumber = number.matcher(text).replaceAll(to.masked().replace("$", "\\$"));
        return Pattern.compile(spaced(code)).matcher(withoutNumber).replaceAll("[code]");
    }

    /** A quote of a gateway's answer fit for logs and events: redacted, on one line, at most {@value #MAX_EXCERPT} characters. */
    public String excerpt(String answer) {
        String cleaned = redact(answer).replaceAll("\\s+", " ").strip();
        return cleaned.length() <= MAX_EXCERPT ? cleaned : cleaned.substring(0, MAX_EXCERPT - 1) + "…";
    }

    private static String spaced(String digits) {
        return digits.chars().mapToObj(c -> Pattern.quote(String.valueOf((char) c))).collect(Collectors.joining(SEPARATORS));
    }

    @Override
    public String toString() {
        return "SmsMessage[to=" + to.masked() + ", realm=" + realm + ", locale=" + locale + "]";
    }
}
