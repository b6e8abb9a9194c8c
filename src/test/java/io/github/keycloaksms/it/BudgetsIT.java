package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * SMS pumping and budget attacks: many accounts texting expensive numbers, or one account using up
 * another user's codes. Each realm here is fresh, so its hourly and daily windows start empty.
 */
class BudgetsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static final String BUDGET_MESSAGE = "We cannot send more codes right now.";

    /** A new user logs in and types a number whose code is refused with {@code message}; returns the user's id. */
    private static String refusedAtEnrollment(Browser browser, TestRealm realm, String username, String phone, String message) {
        String userId = realm.createUser(username);
        browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
        int mark = sms.mark();
        browser.fill("phone", phone).submit("send");
        assertTrue(browser.text().contains(message), browser.text());
        assertEquals(0, sms.countSince(mark));
        return userId;
    }

    @Test
    void enrollmentAttemptsOfAVictimsNumberDoNotBlockTheVictimsLoginCodes() {
        TestRealm realm = TestRealm.create("victim-budget", r -> TestRealm.smsConfig(r).put("maxSendsPerNumberPerDay", "3"));
        try {
            Steps.enrolledUser(realm, sms, "victim", "+49 151 72000011", "11");   // the number's first enrollment code
            for (int i = 1; i <= 2; i++) {
                realm.createUser("attacker-" + i);
                try (Browser browser = new Browser()) {
                    browser.open(realm.authUrl()).login("attacker-" + i, TestRealm.PASSWORD);
                    int mark = sms.mark();
                    browser.fill("phone", "+49 151 72000011").submit("send");
                    sms.awaitCode(mark, "11");
                }
            }
            try (Browser browser = new Browser()) {
                refusedAtEnrollment(browser, realm, "attacker-3", "+49 151 72000011", "This number has received too many codes today.");
            }
            for (int login = 1; login <= 3; login++) {
                try (Browser browser = new Browser()) {
                    Steps.logIn(browser, realm, sms, "victim", "11");
                }
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void theRealmsHourlyBudgetStopsAPumpingRunWithAnEventAndAMetric() throws Exception {
        TestRealm realm = TestRealm.create("realm-budget", r -> TestRealm.smsConfig(r).put("maxSendsPerRealmPerHour", "2"));
        try {
            Steps.enrolledUser(realm, sms, "pump-1", "+49 151 72000021", "21");
            Steps.enrolledUser(realm, sms, "pump-2", "+43 664 7200002", "02");
            String before = ServerMetrics.read();
            String userId;
            try (Browser browser = new Browser()) {
                userId = refusedAtEnrollment(browser, realm, "pump-3", "+44 7911 123423", BUDGET_MESSAGE);
                assertEquals("login-sms-phone.ftl", browser.template());
            }
            assertEquals(1, ServerMetrics.increase(before, ServerMetrics.read(), "keycloak_sms_sends_blocked_total", "reason=\"realm\""));
            JsonNode event = realm.admin().get(realm.path("/events?type=UPDATE_CREDENTIAL_ERROR&user=" + userId)).json().get(0);
            assertEquals("sms_send_limited", event.get("error").asText());
            assertEquals("realm", event.get("details").get("reason").asText());
        } finally {
            realm.delete();
        }
    }

    @Test
    void strangersAtPhoneSignInUseUpTheirOwnBudgetNotTheSecondFactors() {
        TestRealm realm = TestRealm.create("visitor-budget", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false);
            TestRealm.smsConfig(r).putAll(Map.of("maxSendsPerRealmPerHour", "20", "maxSendsPerCountryPerHour", "20",
                    "maxVisitorSendsPerRealmPerHour", "20", "maxVisitorSendsPerCountryPerHour", "20", "maxSendsPerIpPerHour", "100"));
        });
        try {
            Steps.enrolledUser(realm, sms, "second-factor", "+49 151 72000051", "51");
            String last = "";
            for (int i = 0; i < 25; i++) {
                try (Browser browser = new Browser()) {
                    browser.open(realm.phoneAuthUrl()).fill("phone", String.format("+49 151 721000%02d", i)).submit("send");
                    last = browser.text();
                }
            }
            assertTrue(last.contains(BUDGET_MESSAGE), "the strangers used up phone sign-in's budget: " + last);
            try (Browser browser = new Browser()) {
                Steps.logIn(browser, realm, sms, "second-factor", "51");
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void aCountrysHourlyBudgetStopsThatCountryOnly() throws Exception {
        TestRealm realm = TestRealm.create("country-budget", r -> TestRealm.smsConfig(r).put("maxSendsPerCountryPerHour", "1"));
        try {
            Steps.enrolledUser(realm, sms, "country-1", "+43 664 7200031", "31");
            String before = ServerMetrics.read();
            try (Browser browser = new Browser()) {
                refusedAtEnrollment(browser, realm, "country-2", "+43 664 7200032", BUDGET_MESSAGE);
                Steps.enrollOnPhonePage(browser, sms, "+49 151 72000033", "33");
            }
            assertEquals(1, ServerMetrics.increase(before, ServerMetrics.read(), "keycloak_sms_sends_blocked_total", "reason=\"country\""));
        } finally {
            realm.delete();
        }
    }

    @Test
    void internationalNetworksNeedToBeAllowedByName() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        String satellite = util.format(util.getExampleNumberForNonGeoEntity(881), PhoneNumberUtil.PhoneNumberFormat.E164);
        String lastTwo = satellite.substring(satellite.length() - 2);
        TestRealm open = TestRealm.create("satellite", r -> { });
        TestRealm allowing = TestRealm.create("satellite-allowed", r -> TestRealm.smsConfig(r).put("allowedRegions", "DE##001"));
        try {
            open.createUser("satellite");
            try (Browser browser = new Browser()) {
                browser.open(open.authUrl()).login("satellite", TestRealm.PASSWORD);
                int mark = sms.mark();
                browser.fill("phone", satellite).submit("send");
                assertTrue(browser.fieldError("phone").startsWith("Numbers from this country cannot be used here."), browser.text());
                assertEquals(0, sms.countSince(mark));
            }
            allowing.createUser("satellite");
            try (Browser browser = new Browser()) {
                browser.open(allowing.authUrl()).login("satellite", TestRealm.PASSWORD);
                Steps.enrollOnPhonePage(browser, sms, satellite, lastTwo);
            }
        } finally {
            open.delete();
            allowing.delete();
        }
    }

    @Test
    void narrowingTheAllowedRegionsStopsCodesToNumbersEnrolledBefore() {
        TestRealm realm = TestRealm.create("narrowed", r -> TestRealm.smsConfig(r).put("allowedRegions", "DE##AT"));
        try {
            String userId = Steps.enrolledUser(realm, sms, "austrian", "+43 664 7200041", "41");
            Map<String, String> settings = realm.smsSettings();
            settings.put("allowedRegions", "DE");
            assertEquals(204, realm.updateSmsSettings(settings).status());
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.authUrl()).login("austrian", TestRealm.PASSWORD);
                assertTrue(browser.text().contains("Numbers from this country cannot be used here."), browser.text());
                assertEquals(0, sms.countSince(mark));
            }
            JsonNode event = realm.admin().get(realm.path("/events?type=LOGIN_ERROR&user=" + userId)).json().get(0);
            assertEquals("region_not_allowed", event.get("details").get("reason").asText());
        } finally {
            realm.delete();
        }
    }
}
