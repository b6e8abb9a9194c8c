package io.github.keycloaksms.gateway;

import java.util.Locale;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * One SMS to send. {@link #toString()} leaves out the code and the text.
 *
 * @param to     the recipient
 * @param text   the full text, rendered in the user's language
 * @param code   the code alone, for gateways whose payload carries it separately
 * @param locale the user's language
 */
public record SmsMessage(PhoneNumber to, String text, String code, Locale locale) {

    @Override
    public String toString() {
        return "SmsMessage[to=" + to.masked() + ", locale=" + locale + "]";
    }
}
