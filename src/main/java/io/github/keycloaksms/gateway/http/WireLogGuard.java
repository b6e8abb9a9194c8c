package io.github.keycloaksms.gateway.http;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bundled HTTP client's wire and header logs, and twilio-java's request log, would print every
 * SMS request (code, number, credentials) as soon as someone turns on DEBUG for this extension's
 * packages. They are held at INFO. The names are relocated with the libraries when the JAR is built.
 */
final class WireLogGuard {

    private static final List<String> CATEGORIES = List.of(
            "org.apache.hc.client5.http.wire",
            "org.apache.hc.client5.http.headers",
            "com.twilio.http.TwilioRestClient");

    /** Strong references: a logger's level lives only as long as the logger. */
    private static final List<Logger> HELD = CATEGORIES.stream().map(Logger::getLogger).toList();

    private WireLogGuard() {
    }

    static void apply() {
        HELD.forEach(logger -> logger.setLevel(Level.INFO));
    }
}
