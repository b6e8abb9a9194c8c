package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pumping watch on the real Keycloak: sign-ups to a prefix whose codes are never entered pause
 * that prefix, and only it, for the entry points that answer strangers; monitor mode only tells.
 * And the backoff per number: strangers wait longer for each further code.
 */
class PumpingWatchIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    /** Numbers of one prefix: {@code +49 1522 999} and four digits. */
    private static final String PUMPED = "+49 1522 999";
    private static final String PUMPED_PREFIX = "+491522999";

    private static TestRealm realm(String name, String mode) {
        return TestRealm.create(name, r -> {
            TestRealm.withPhoneSignIn(r, server, true);
            r.setBruteForceProtected(false);
            r.setRegistrationAllowed(true);
            TestRealm.smsConfig(r).putAll(Map.of("pumpingWatch", mode, "allowedRegions", "DE", "pumpingMinSendsPerPrefix", "5", "resendCooldown", "0",
                    "maxSendsPerIpPerHour", "100", "maxSendsPerNumberPerDay", "100"));
        });
    }

    /** A new visitor types the number at phone sign-in (sign-up allowed) and leaves; gives the page they saw. */
    private static String visit(TestRealm realm, String number) {
        try (Browser browser = new Browser()) {
            browser.open(realm.phoneAuthUrl()).fill("phone", number).submit("send");
            assertEquals("login-sms-code.ftl", browser.template(), browser.text());
            return PhoneSignInIT.seen(browser, number);
        }
    }

    /** How many SMS went to the number by now, after the jobs behind the responses had their time. */
    private static long smsTo(int mark, String number) {
        KeycloakServer.sleep(Duration.ofMillis(300));
        return sms.countSince(mark, number.substring(number.length() - 2));
    }

    private static void awaitSms(int mark, String number) {
        sms.awaitCode(mark, number.substring(number.length() - 2));
    }

    @Test
    void aPrefixWhoseCodesAreNeverEnteredIsPausedForStrangersOnlyUntilLifted() {
        TestRealm realm = realm("pumping-enforce", "enforce");
        try {
            String userId = Steps.enrolledUser(realm, sms, "pumped-prefix-user", PUMPED + "0090", "90");
            for (int n = 11; n <= 15; n++) {
                int mark = sms.mark();
                visit(realm, PUMPED + "00" + n);
                awaitSms(mark, "" + n);
            }
            int mark = sms.mark();
            String pausedPage = visit(realm, PUMPED + "0016");
            JsonNode paused = realm.awaitEvents("type=LOGIN_ERROR", 1,
                    event -> "sms_pumping_paused".equals(event.path("error").asText())).get(0);
            assertEquals(PUMPED_PREFIX, paused.path("details").path("sms_scope").asText(), paused.toString());
            assertEquals("5", paused.path("details").path("sms_sent").asText(), paused.toString());
            assertEquals("0", paused.path("details").path("sms_entered").asText(), paused.toString());
            assertEquals("enforce", paused.path("details").path("reason").asText(), paused.toString());
            realm.awaitEvents("type=LOGIN_ERROR", 1, event -> "sms_send_limited".equals(event.path("error").asText())
                    && "pumping_paused".equals(event.path("details").path("reason").asText()));
            assertEquals(0, smsTo(mark, "16"), "no code to the paused prefix");

            int other = sms.mark();
            String otherPage = visit(realm, "+49 1522 888 0017");
            awaitSms(other, "17");
            assertEquals(otherPage, pausedPage, "a paused prefix looks to the visitor like any other number");

            try (Browser browser = new Browser()) {
                Steps.logIn(browser, realm, sms, "pumped-prefix-user", "90");
            }

            JsonNode pauses = realm.admin().get(realm.path("/sms/pauses")).json();
            assertEquals(1, pauses.size(), pauses.toString());
            assertEquals(PUMPED_PREFIX, pauses.get(0).path("scope").asText());
            assertTrue(pauses.get(0).path("enforced").asBoolean(), pauses.toString());
            assertTrue(Instant.parse(pauses.get(0).path("until").asText()).isAfter(Instant.now().plus(Duration.ofHours(11))));

            AdminApi.Response lifted = realm.admin().delete(realm.path("/sms/pauses/" + PUMPED_PREFIX));
            assertEquals(204, lifted.status(), lifted.body());
            assertEquals(404, realm.admin().delete(realm.path("/sms/pauses/" + PUMPED_PREFIX)).status(), "lifted once");
            assertEquals(0, realm.admin().get(realm.path("/sms/pauses")).json().size());
            int afterLift = sms.mark();
            visit(realm, PUMPED + "0018");
            awaitSms(afterLift, "18");
            assertTrue(userId != null);
        } finally {
            realm.delete();
        }
    }

    @Test
    void monitorModeRefusesNothingButSaysWhatItWouldPause() {
        TestRealm realm = realm("pumping-monitor", "monitor");
        try {
            List<String> numbers = new ArrayList<>();
            for (int n = 21; n <= 27; n++) {
                numbers.add(PUMPED + "00" + n);
            }
            for (String number : numbers) {
                int mark = sms.mark();
                visit(realm, number);
                awaitSms(mark, number);
            }
            List<JsonNode> monitored = realm.awaitEvents("type=LOGIN_ERROR", 1,
                    event -> "sms_pumping_paused".equals(event.path("error").asText()));
            assertEquals(1, monitored.size(), "said once: " + monitored);
            assertEquals("monitor", monitored.get(0).path("details").path("reason").asText());
            JsonNode pauses = realm.admin().get(realm.path("/sms/pauses")).json();
            assertEquals(PUMPED_PREFIX, pauses.get(0).path("scope").asText(), pauses.toString());
            assertEquals(false, pauses.get(0).path("enforced").asBoolean(), pauses.toString());
        } finally {
            realm.delete();
        }
    }

    @Test
    void strangersWaitLongerForEachFurtherCodeToANumberHeldOrNotWhileItsHoldersBrowserDoesNot() {
        String held = "+49 151 70000031";
        String unknown = "+49 151 70000032";
        TestRealm realm = TestRealm.create("backoff", r -> {
            TestRealm.withPhoneSignIn(r, server, false);
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).putAll(Map.of("resendCooldown", "0", "maxSendsPerNumberPerDay", "20", "maxSendsPerIpPerHour", "100"));
        });
        try {
            Steps.enrolledUser(realm, sms, "backoff-holder", held, "31");
            try (Browser holder = new Browser()) {
                int mark = sms.mark();
                holder.open(realm.phoneAuthUrl()).fill("phone", held).submit("send");
                holder.fill("code", sms.awaitCode(mark, "31")).submit("verify");
                assertTrue(holder.isLoggedIn(), "the holder's browser now has its allowance: " + holder.text());

                try (Browser earlier = new Browser()) {
                    // the unknown number's first code too, as the holder's sign-in was the held number's
                    earlier.open(realm.phoneAuthUrl()).fill("phone", unknown).submit("send");
                }
                Map<String, List<String>> seen = new HashMap<>();
                for (String number : List.of(unknown, held)) {
                    try (Browser stranger = new Browser()) {
                        List<String> pages = new ArrayList<>();
                        stranger.open(realm.phoneAuthUrl()).fill("phone", number).submit("send");
                        String second = PhoneSignInIT.seen(stranger, number);
                        assertTrue(second.matches("(?s).*Send a new code in (59|60) s.*"), "the number's second code: " + stranger.text());
                        pages.add(withoutSeconds(second));
                        stranger.submit("resend");
                        assertTrue(stranger.text().contains("Please wait"), "the third code waits: " + stranger.text());
                        pages.add(withoutSeconds(PhoneSignInIT.seen(stranger, number)));
                        seen.put(number, pages);
                    }
                }
                assertEquals(seen.get(unknown), seen.get(held), "the same waits for a held and an unknown number");

                int mark2 = sms.mark();
                holder.open(realm.phoneAuthUrl()).fill("phone", held).submit("send");
                assertFalse(holder.text().contains("Please wait"), holder.text());
                holder.fill("code", sms.awaitCode(mark2, "31")).submit("verify");
                assertTrue(holder.isLoggedIn(), "the holder's browser is not held back: " + holder.text());
            }
        } finally {
            realm.delete();
        }
    }

    private static String withoutSeconds(String page) {
        return page.replaceAll("\\d+ s\\b", "N s");
    }
}
