package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sends, their duration, blocked sends and code entries are counted on Keycloak's /metrics. */
class MetricsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("metrics", r -> {
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).put("resendCooldown", "60");
        });
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void sendsBlockedSendsAndVerificationsAreCounted() throws Exception {
        String before = ServerMetrics.read();
        try (Browser browser = new Browser()) {
            realm.createUser("counted");
            browser.open(realm.authUrl()).login("counted", TestRealm.PASSWORD);
            int mark = sms.mark();
            browser.fill("phone", "+49 151 20000077").submit("send");
            String code = sms.awaitCode(mark, "77");
            browser.submit("resend");
            browser.fill("code", "12").submit("verify");
            browser.fill("code", Steps.wrong(code)).submit("verify");
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        String after = ServerMetrics.read();

        assertEquals(1, ServerMetrics.increase(before, after, "keycloak_sms_sends_total", "gateway=\"log\",outcome=\"sent\""));
        assertEquals(1, ServerMetrics.increase(before, after, "keycloak_sms_send_duration_seconds_count", "gateway=\"log\",outcome=\"sent\""));
        assertEquals(1, ServerMetrics.increase(before, after, "keycloak_sms_sends_blocked_total", "reason=\"cooldown\""));
        assertEquals(1, ServerMetrics.increase(before, after, "keycloak_sms_verifications_total", "outcome=\"malformed\""));
        assertEquals(1, ServerMetrics.increase(before, after, "keycloak_sms_verifications_total", "outcome=\"wrong\""));
        assertEquals(1, ServerMetrics.increase(before, after, "keycloak_sms_verifications_total", "outcome=\"accepted\""));
        assertTrue(after.lines().filter(l -> l.startsWith("keycloak_sms_")).noneMatch(l -> l.contains("20000077") || l.contains(realm.name())),
                "no number and no realm in the tags");
    }
}
