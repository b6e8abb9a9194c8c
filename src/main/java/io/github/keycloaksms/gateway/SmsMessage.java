package io.github.keycloaksms.gateway;

import java.time.Duration;
import java.util.Locale;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * One SMS to send. {@link #toString()} leaves out the code and the text.
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

    /** The user, as far as a message template may use them. */
    public record Recipient(String id, String username, String email, String firstName, String lastName) {
    }

    /**
     * Blanks this message's code and number in a text from elsewhere (a gateway's answer, an
     * error message), for logs and events.
     */
    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String digits = to.e164().substring(1);
        return text.replace(code, "[code]").replace(to.e164(), to.masked()).replace(digits, to.masked());
    }

    @Override
    public String toString() {
        return "SmsMessage[to=" + to.masked() + ", realm=" + realm + ", locale=" + locale + "]";
    }
}
