package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Phone sign-in ({@code sms-phone-login}) as a visitor meets it: a number that has an account
 * signs in, and nothing the visitor sees tells that number from one without an account, of a
 * disabled or locked user, or kept only as a hash.
 */
class PhoneSignInIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static final String ENROLLED = "+49 151 50000021";
    private static final String UNKNOWN = "+49 151 50000022";
    private static final String DISABLED = "+49 151 50000023";
    private static final String LOCKED = "+49 151 50000024";
    private static final String VERIFY_ONLY = "+49 151 50000025";

    @Test
    void anEnrolledNumberSignsInAndLoginHintFillsTheField() {
        TestRealm realm = TestRealm.create("phone-in", r -> TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false));
        try {
            Steps.enrolledUser(realm, sms, "phone-alice", ENROLLED, "21");
            try (Browser browser = new Browser()) {
                browser.open(realm.phoneAuthUrl() + "&login_hint=" + AdminApi.enc(ENROLLED));
                assertEquals("login-sms-phone.ftl", browser.template());
                assertEquals(ENROLLED, browser.attribute("phone", "value"));
                assertTrue(browser.text().contains("Sign in with your mobile number"), browser.text());
                assertFalse(browser.has("//input[@name='label']"), "no name for the number at sign-in");

                int mark = sms.mark();
                browser.submit("send");
                assertEquals("login-sms-code.ftl", browser.template());
                assertTrue(browser.text().contains("If " + Steps.forReading(ENROLLED) + " can sign in here, we have sent it a code by SMS."),
                        browser.text());
                browser.fill("code", sms.awaitCode(mark, "21")).submit("verify");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
            JsonNode login = realm.admin().get(realm.path("/events?type=LOGIN&client=" + TestRealm.PHONE_CLIENT_ID)).json().get(0);
            assertEquals(realm.admin().userId(realm.name(), "phone-alice"), login.path("userId").asText());
            assertEquals("+49 ••• •••• 21", login.path("details").path("sms_phone").asText(), "masked, never the number");
        } finally {
            realm.delete();
        }
    }

    @Test
    void aPasswordStepAfterThePhoneAsksTheNumbersHolder() {
        TestRealm realm = TestRealm.create("phone-pass", r -> TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false,
                "auth-password-form"));
        try {
            Steps.enrolledUser(realm, sms, "phone-and-password", ENROLLED, "21");
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.phoneAuthUrl()).fill("phone", ENROLLED).submit("send");
                browser.fill("code", sms.awaitCode(mark, "21")).submit("verify");
                assertFalse(browser.isLoggedIn(), "the number alone is not enough here");
                browser.fill("password", "not-the-password").submit("login");
                assertFalse(browser.isLoggedIn());
                browser.fill("password", TestRealm.PASSWORD).submit("login");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void fourKindsOfNumberLookAlikeAndOnlyTheEnrolledOneGetsAnSms() {
        TestRealm realm = TestRealm.create("phone-oracle", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false);
            TestRealm.smsConfig(r).putAll(Map.of("verifyOnly", "true", "resendCooldown", "0", "backoffPerNumber", "false"));
            r.setFailureFactor(3);
        });
        try {
            Steps.enrolledUser(realm, sms, "phone-verify-only", VERIFY_ONLY, "25");
            Map<String, String> settings = new HashMap<>(realm.smsSettings());
            settings.put("verifyOnly", "false");
            assertEquals(204, realm.updateSmsSettings(settings).status());
            Steps.enrolledUser(realm, sms, "phone-enrolled", ENROLLED, "21");
            String disabled = Steps.enrolledUser(realm, sms, "phone-disabled", DISABLED, "23");
            UserRepresentation off = new UserRepresentation();
            off.setEnabled(false);
            assertEquals(204, realm.admin().put(realm.path("/users/" + disabled), off).status());
            String locked = Steps.enrolledUser(realm, sms, "phone-locked", LOCKED, "24");
            lockOutWithWrongPasswords(realm, "phone-locked", locked);

            int mark = sms.mark();
            Map<String, List<String>> seen = new LinkedHashMap<>();
            String wrongCode = "000000";
            for (String number : List.of(ENROLLED, UNKNOWN, DISABLED, LOCKED, VERIFY_ONLY)) {
                seen.put(number, visit(realm, number, wrongCode));
            }
            List<String> enrolledPages = seen.get(ENROLLED);
            seen.forEach((number, pages) -> assertEquals(enrolledPages, pages, "what a visitor sees for " + number));

            // each of the four numbers had three sends (the first and two resends), each decided with an event
            realm.awaitEvents("type=LOGIN_ERROR&client=" + TestRealm.PHONE_CLIENT_ID, 12, e -> List.of("user_not_found", "user_disabled", "user_temporarily_disabled")
                    .contains(e.path("error").asText()));
            sms.awaitCode(mark, "21");
            for (String lastTwoDigits : List.of("22", "23", "24", "25")) {
                assertEquals(0, sms.countSince(mark, lastTwoDigits), "an SMS to the number ending in " + lastTwoDigits);
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void wrongCodesLockTheHolderOutAndThenItGetsNoSms() {
        TestRealm realm = TestRealm.create("phone-lock", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false);
            TestRealm.smsConfig(r).put("resendCooldown", "0");
            r.setFailureFactor(4);
            r.setQuickLoginCheckMilliSeconds(0L);
        });
        try {
            String userId = Steps.enrolledUser(realm, sms, "phone-guessed", ENROLLED, "21");
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.phoneAuthUrl()).fill("phone", ENROLLED).submit("send");
                String code = sms.awaitCode(mark, "21");
                for (int i = 0; i < 4; i++) {
                    browser.fill("code", Steps.wrong(code)).submit("verify");
                    assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
                }
                awaitLockOut(realm, userId);

                browser.fill("code", code).submit("verify");
                assertFalse(browser.isLoggedIn(), "the right code does not open a locked account");
                assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
            }
            int mark = sms.mark();
            try (Browser browser = new Browser()) {
                browser.open(realm.phoneAuthUrl()).fill("phone", ENROLLED).submit("send");
                assertEquals("login-sms-code.ftl", browser.template());
            }
            realm.awaitEvents("type=LOGIN_ERROR&client=" + TestRealm.PHONE_CLIENT_ID, 1, e -> "user_temporarily_disabled".equals(e.path("error").asText()));
            assertEquals(0, sms.countSince(mark), "a locked account gets no SMS");
        } finally {
            realm.delete();
        }
    }

    @Test
    void limitsCountUnknownNumbersAsKnownOnes() {
        TestRealm realm = TestRealm.create("phone-limits", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false);
            TestRealm.smsConfig(r).putAll(Map.of("maxSendsPerNumberPerDay", "2", "maxSendsPerIpPerHour", "6", "backoffPerNumber", "false"));
        });
        try {
            Steps.enrolledUser(realm, sms, "phone-limited", ENROLLED, "21");
            for (String number : List.of(ENROLLED, UNKNOWN)) {
                List<String> answers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    try (Browser browser = new Browser()) {
                        browser.open(realm.phoneAuthUrl()).fill("phone", number).submit("send");
                        answers.add(browser.template() + " " + browser.text().replaceAll("\\+\\d[\\d ]*\\d", "NUMBER"));
                    }
                }
                assertEquals(answers.get(0), answers.get(1), number);
                assertTrue(answers.get(2).contains("This number has received too many codes today."), answers.get(2));
            }
            try (Browser browser = new Browser()) {
                browser.open(realm.phoneAuthUrl()).fill("phone", "+49 151 50000026").submit("send");
                assertEquals("login-sms-code.ftl", browser.template(), "the address's sixth send, the enrollment's one included");
                browser.open(realm.phoneAuthUrl()).fill("phone", "+49 151 50000027").submit("send");
                assertTrue(browser.text().contains("Too many codes were requested from your network."), browser.text());
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void aBrowserThatSignedInWithTheNumberKeepsItsOwnCodesWhenStrangersUseUpTheNumbers() {
        TestRealm realm = TestRealm.create("phone-device", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), false);
            TestRealm.smsConfig(r).putAll(Map.of("maxSendsPerNumberPerDay", "3", "maxSendsPerIpPerHour", "100", "resendCooldown", "0",
                    "backoffPerNumber", "false"));
        });
        try {
            Steps.enrolledUser(realm, sms, "phone-device", ENROLLED, "21");
            try (Browser holder = new Browser()) {
                signIn(holder, realm, ENROLLED, "21");
                for (int i = 0; i < 3; i++) {
                    try (Browser stranger = new Browser()) {
                        stranger.open(realm.phoneAuthUrl()).fill("phone", ENROLLED).submit("send");
                        if (i == 2) {
                            assertTrue(stranger.text().contains("This number has received too many codes today."), stranger.text());
                        }
                    }
                }
                holder.keepOnlyCookie("KC_SMS_DEVICE");
                assertEquals(1, holder.cookies().size(), "the sign-in left its cookie: " + holder.cookies().keySet());
                signIn(holder, realm, ENROLLED, "21");
            }
            try (Browser forged = new Browser()) {
                forged.addCookie("KC_SMS_DEVICE", Instant.now().getEpochSecond() / 86_400 + ".forged", "/realms/" + realm.name() + "/")
                        .open(realm.phoneAuthUrl()).fill("phone", ENROLLED).submit("send");
                assertTrue(forged.text().contains("This number has received too many codes today."), "a forged cookie counts for nothing: "
                        + forged.text());
            }
        } finally {
            realm.delete();
        }
    }

    private static void signIn(Browser browser, TestRealm realm, String number, String lastTwoDigits) {
        int mark = sms.mark();
        browser.open(realm.phoneAuthUrl()).fill("phone", number).submit("send");
        browser.fill("code", sms.awaitCode(mark, lastTwoDigits)).submit("verify");
        assertTrue(browser.isLoggedIn(), browser.text());
    }

    @Test
    void signUpCreatesTheAccountAfterTheCodeAndAsksForTheProfile() {
        TestRealm realm = TestRealm.create("phone-up", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), true);
            r.setRegistrationAllowed(true);
            TestRealm.smsConfig(r).put("allowedRegions", "DE");
        });
        try {
            Steps.enrolledUser(realm, sms, "phone-existing", ENROLLED, "21");
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.phoneAuthUrl());
                assertTrue(browser.text().contains("Sign in or sign up with your mobile number"), browser.text());
                browser.fill("phone", "0151 50000028").submit("send");
                assertEquals("login-sms-code.ftl", browser.template());
                assertTrue(browser.text().contains("We sent a code by SMS to " + Steps.forReading("+4915150000028") + "."), browser.text());
                browser.fill("code", sms.awaitCode(mark, "28")).submit("verify");
                assertTrue(browser.url().contains("/login-actions/required-action") && browser.has("//input[@name='email']"),
                        "Keycloak's profile form asks for the rest: " + browser.url() + "\n" + browser.text());
                browser.fill("email", "new-phone@example.org").fill("firstName", "New").fill("lastName", "Phone")
                        .submitForm("//form[@id='kc-update-profile-form']");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
            JsonNode register = realm.admin().get(realm.path("/events?type=REGISTER")).json().get(0);
            assertEquals("+49 ••• •••• 28", register.path("details").path("sms_phone").asText());
            String userId = register.path("userId").asText();
            assertEquals(1, realm.smsCredentials(userId).size(), "the proved number is the account's SMS credential");
            String username = realm.admin().get(realm.path("/users/" + userId)).json().path("username").asText();
            assertTrue(username.matches("phone-[a-z0-9]{12}"), "a generated username, not the number: " + username);
            assertFalse(register.toString().contains("4915150000028"), "nor is the number in the event: " + register);

            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.phoneAuthUrl()).fill("phone", ENROLLED).submit("send");
                assertTrue(browser.text().contains("We sent a code by SMS to " + Steps.forReading(ENROLLED) + "."), browser.text());
                browser.fill("code", sms.awaitCode(mark, "21")).submit("verify");
                assertTrue(browser.isLoggedIn(), "a number with an account signs that account in: " + browser.text());
            }
            assertEquals(2, realm.admin().get(realm.path("/users/count")).json().asInt(), "no second account for a known number");
        } finally {
            realm.delete();
        }
    }

    @Test
    void signUpNeedsAllowedRegionsWhenTheSettingsAreSaved() {
        TestRealm realm = TestRealm.create("phone-regions", r -> {
            TestRealm.withPhoneSignIn(r, KeycloakServer.shared(), true);
            TestRealm.smsConfig(r).put("allowedRegions", "DE");
        });
        try {
            Map<String, String> settings = new HashMap<>(realm.smsSettings());
            settings.remove("allowedRegions");
            AdminApi.Response refused = realm.updateSmsSettings(settings);
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.body().contains("a flow lets new numbers sign up by phone"), refused.body());
            assertEquals("DE", realm.smsSettings().get("allowedRegions"), "nothing changed");
        } finally {
            realm.delete();
        }
    }

    @Test
    void theDemoRealmAsShippedSignsInWithAPhoneNumberThroughItsClient() {
        RealmRepresentation demo = TestRealm.demoRealm();
        AdminApi admin = new AdminApi(KeycloakServer.BASE_URL);
        assertEquals(201, admin.post("/admin/realms", demo).status());
        try (Browser browser = new Browser()) {
            browser.open(KeycloakServer.BASE_URL + "/realms/" + demo.getRealm() + "/protocol/openid-connect/auth?client_id=phone-demo"
                    + "&response_type=code&scope=openid&redirect_uri=" + AdminApi.enc("http://localhost:8080/realms/sms-demo"));
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.text().contains("Sign in with your mobile number"), browser.text());
            browser.fill("phone", "0151 50000029").submit("send");
            assertEquals("login-sms-code.ftl", browser.template());
            assertTrue(browser.text().contains("If " + Steps.forReading("+4915150000029") + " can sign in here"), "the demo's default region DE: "
                    + browser.text());
        } finally {
            admin.delete("/admin/realms/" + demo.getRealm());
        }
    }

    /**
     * Types the number and goes through what a visitor without the phone can do: a wrong code,
     * a resend, codes until this one is used up. Returns each answer, normalised.
     */
    private static List<String> visit(TestRealm realm, String number, String wrongCode) {
        List<String> pages = new ArrayList<>();
        try (Browser browser = new Browser()) {
            browser.open(realm.phoneAuthUrl());
            pages.add(seen(browser, number));
            browser.fill("phone", number).submit("send");
            pages.add(seen(browser, number));
            browser.fill("code", wrongCode).submit("verify");
            pages.add(seen(browser, number));
            browser.submit("resend");
            pages.add(seen(browser, number));
            for (int i = 0; i < 5; i++) {
                browser.fill("code", wrongCode).submit("verify");
                pages.add(seen(browser, number));
            }
            browser.submit("resend");
            pages.add(seen(browser, number));
        }
        return pages;
    }

    /** The page apart from Keycloak's per-request values and the number itself, with its status and cookies. */
    static String seen(Browser browser, String number) {
        String e164 = number.replace(" ", "");
        String page = browser.html().asXml()
                .replaceAll("(session_code|execution|tab_id|client_data|kc_locale)=[^&\"']*", "$1=*")
                .replace(number, "NUMBER").replace(e164, "NUMBER").replace(Steps.forReading(e164), "NUMBER");
        return browser.status() + " " + new TreeSet<>(browser.cookies().keySet()) + "\n" + page;
    }

    private static void lockOutWithWrongPasswords(TestRealm realm, String username, String userId) {
        for (int i = 0; i < 3; i++) {
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login(username, "wrong-" + i);
            }
        }
        awaitLockOut(realm, userId);
    }

    /** Keycloak records failures off the request: waits for the lockout to show. */
    private static void awaitLockOut(TestRealm realm, String userId) {
        Instant deadline = Instant.now().plusSeconds(10);
        JsonNode status = realm.admin().get(realm.path("/attack-detection/brute-force/users/" + userId)).json();
        while (!status.path("disabled").asBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not locked out: " + status);
            }
            KeycloakServer.sleep(Duration.ofMillis(100));
            status = realm.admin().get(realm.path("/attack-detection/brute-force/users/" + userId)).json();
        }
    }
}
