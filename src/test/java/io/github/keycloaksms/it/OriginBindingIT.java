package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The SMS ends with {@code @host #code}, which phones use to offer the code only on that site. The
 * host is Keycloak's own frontend host, never one a client made up in a header Keycloak does not
 * trust (the shared server runs without {@code --proxy-headers}).
 */
class OriginBindingIT {

    private static final KeycloakServer server = KeycloakServer.shared();

    @Test
    void forwardedHeadersKeycloakDoesNotTrustDoNotReachTheSms() {
        TestRealm realm = TestRealm.create("origin", r -> { });
        try {
            realm.createUser("origin-user");
            try (Browser browser = new Browser()) {
                browser.header("X-Forwarded-Host", "evil.example").header("Forwarded", "host=evil.example;proto=https");
                browser.open(realm.authUrl()).login("origin-user", TestRealm.PASSWORD);
                Sms sms = smsAfterTyping(browser, "+49 151 75000011", "11");
                assertTrue(sms.line().endsWith("@localhost #" + sms.code()), sms.line());
            }
        } finally {
            realm.delete();
        }
    }

    private record Sms(String line, String code) {
    }

    /** The SMS, as the log gateway wrote it, for the number typed on the phone page. */
    private static Sms smsAfterTyping(Browser browser, String phone, String lastTwoDigits) {
        int mark = server.mark();
        browser.fill("phone", phone).submit("send");
        String code = new SmsLog(server).awaitCode(mark, lastTwoDigits);
        return new Sms(server.awaitLine(mark, l -> l.contains("#" + code), Duration.ofSeconds(5)).orElseThrow().strip(), code);
    }
}
