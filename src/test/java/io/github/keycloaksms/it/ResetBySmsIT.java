package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.models.utils.TimeBasedOTP;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

/** Password reset by SMS ({@code sms-reset-code} after "Choose user"), as a visitor meets it. */
class ResetBySmsIT {

    private static final String OTP_SECRET = "reset-otp-secret-0123456789";
    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("reset-sms", r -> {
            TestRealm.withResetBySms(r);
            r.setQuickLoginCheckMilliSeconds(0L);
            r.setInternationalizationEnabled(true);
            r.setSupportedLocales(Set.of("en", "de"));
            r.setDefaultLocale("en");
            TestRealm.smsConfig(r).putAll(Map.of("resendCooldown", "0", "maxSendsPerIpPerHour", "100",
                    "maxSendsPerUserPerDay", "10", "maxSendsPerNumberPerDay", "10", "backoffPerNumber", "false"));
        });
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void theRightCodeLeadsToANewPassword() {
        Steps.enrolledUser(realm, sms, "forgetful", "+49 151 80000061", "61");
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            startReset(browser, "forgetful");
            assertEquals("login-sms-code.ftl", browser.template());
            assertTrue(browser.text().contains("If this account has a mobile number for sign-in codes, we have sent a code to it by SMS."),
                    browser.text());
            assertTrue(browser.has("//div[@id='kc-sms-back-to-login']//a[normalize-space(.)='« Back to Login']"), "a way back: " + browser.text());
            browser.fill("code", sms.awaitCode(mark, "61")).submit("verify");
            assertEquals("login-update-password.ftl", browser.template(), browser.text());
            browser.fill("password-new", "New-secret-2").fill("password-confirm", "New-secret-2")
                    .submitForm("//form[@id='kc-passwd-update-form']");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).login("forgetful", "New-secret-2");
            browser.fill("code", sms.awaitCode(mark, "61")).submit("verify");
            assertTrue(browser.isLoggedIn(), "the new password works: " + browser.text());
        }
    }

    @Test
    void theDemoRealmAsShippedResetsPasswordsBySms() {
        TestRealm demo = TestRealm.create("demo-reset", r -> { });
        try {
            Steps.enrolledUser(demo, sms, "demo-forgetful", "+49 151 80000069", "69");
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(demo.authUrl()).followLinkText("Forgot Password?");
                browser.fill("username", "demo-forgetful").submitForm("//form[@id='kc-reset-password-form']");
                browser.fill("code", sms.awaitCode(mark, "69")).submit("verify");
                browser.fill("password-new", "New-secret-4").fill("password-confirm", "New-secret-4")
                        .submitForm("//form[@id='kc-passwd-update-form']");
                assertTrue(browser.isLoggedIn(), browser.text());
            }
        } finally {
            demo.delete();
        }
    }

    @Test
    void theCodePageLeadsBackToTheLogin() {
        try (Browser browser = new Browser()) {
            startReset(browser, "no-such-account-back");
            assertEquals("login-sms-code.ftl", browser.template());
            browser.followLinkText("« Back to Login");
            assertEquals("login.ftl", browser.template(), browser.text());
            browser.login("nobody", "wrong");
            assertEquals("login.ftl", browser.template(), "the login form works from there: " + browser.text());
        }
    }

    @Test
    void accountsWithANumberWithoutOneAndUnknownOnesLookAlike() {
        Steps.enrolledUser(realm, sms, "has-number", "+49 151 80000062", "62");
        realm.createUser("no-number");
        int mark = sms.mark();
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (String account : List.of("has-number", "no-number", "no-such-account")) {
            seen.put(account, visit(account));
        }
        seen.forEach((account, pages) -> assertEquals(seen.get("has-number"), pages, "what a visitor sees for " + account));

        // the account without a number had two sends decided (the first and the resend), each with an event
        realm.awaitEvents("type=RESET_PASSWORD_ERROR", 2, e -> "sms_no_number".equals(e.path("error").asText()));
        Instant deadline = Instant.now().plusSeconds(10);
        while (sms.countSince(mark) < 2 && Instant.now().isBefore(deadline)) {
            KeycloakServer.sleep(Duration.ofMillis(100));
        }
        assertEquals(2, sms.countSince(mark, "62"), "the account with a number got its code and the resend");
        assertEquals(2, sms.countSince(mark), "nobody else got any");
    }

    @Test
    void accountsInAnotherLanguageLookAlikeToo() {
        speaksGerman(Steps.enrolledUser(realm, sms, "german-number", "+49 151 80000064", "64"));
        speaksGerman(realm.createUser("german-no-number"));
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (String account : List.of("no-such-account", "german-number", "german-no-number")) {
            seen.put(account, visit(account));
        }
        assertTrue(seen.get("no-such-account").get(0).contains("lang=\"en\""), seen.get("no-such-account").get(0));
        seen.forEach((account, pages) -> assertEquals(seen.get("no-such-account"), pages, "what an English visitor sees for " + account));
    }

    @Test
    void wrongCodesCountAgainstTheAccount() {
        String userId = Steps.enrolledUser(realm, sms, "guessed-reset", "+49 151 80000063", "63");
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            startReset(browser, "guessed-reset");
            String code = sms.awaitCode(mark, "63");
            browser.fill("code", Steps.wrong(code)).submit("verify");
            assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
        }
        Instant deadline = Instant.now().plusSeconds(10);
        JsonNode status = realm.admin().get(realm.path("/attack-detection/brute-force/users/" + userId)).json();
        while (status.path("numFailures").asInt() < 1 && Instant.now().isBefore(deadline)) {
            KeycloakServer.sleep(Duration.ofMillis(100));
            status = realm.admin().get(realm.path("/attack-detection/brute-force/users/" + userId)).json();
        }
        assertEquals(1, status.path("numFailures").asInt(), status.toString());
    }

    @Test
    void strangersResettingAnAccountDoNotUseUpItsLoginCodes() {
        Steps.enrolledUser(realm, sms, "reset-victim", "+49 151 80000065", "65");
        int mark = sms.mark();
        for (int i = 0; i < 12; i++) {
            try (Browser stranger = new Browser()) {
                startReset(stranger, "reset-victim");
            }
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (sms.countSince(mark, "65") < 10 && Instant.now().isBefore(deadline)) {
            KeycloakServer.sleep(Duration.ofMillis(100));
        }
        assertEquals(10, sms.countSince(mark, "65"), "the account's reset codes of the day");
        try (Browser browser = new Browser()) {
            Steps.logIn(browser, realm, sms, "reset-victim", "65");
        }
    }

    @Test
    void anAccountsResetCodesDieAfterItsTriesOfTheDayUnderAnyOfItsNames() {
        Steps.enrolledUser(realm, sms, "tried-out", "+49 151 80000066", "66");
        for (String name : List.of("tried-out", "tried-out@example.org")) {
            try (Browser stranger = new Browser()) {
                startReset(stranger, name);
                for (int i = 0; i < (name.contains("@") ? 2 : 3); i++) {
                    stranger.fill("code", "00000000").submit("verify");
                }
            }
        }
        try (Browser owner = new Browser()) {
            int mark = sms.mark();
            startReset(owner, "tried-out");
            owner.fill("code", sms.awaitCode(mark, "66")).submit("verify");
            assertEquals("login-sms-code.ftl", owner.template(), "the account's five tries of the day are used up");
            assertTrue(owner.fieldError("code").startsWith("That code is not right."), owner.text());
        }
    }

    @Test
    void aResetCodeWhoseSmsFailedIsNotAccepted() {
        String userId = Steps.enrolledUser(realm, sms, "failed-send", "+49 151 80000067", "67");
        Map<String, String> logGateway = realm.smsSettings();
        try (WebhookSink sink = new WebhookSink()) {
            sink.answer("/down", 503, "{}", Duration.ZERO);
            Map<String, String> failing = new java.util.HashMap<>(logGateway);
            failing.putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/down")));
            assertEquals(204, realm.updateSmsSettings(failing).status());
            try (Browser browser = new Browser()) {
                int mark = sink.mark();
                startReset(browser, "failed-send");
                String body = sink.await(mark).json().get("Body").asText();
                java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\b\\d{8}\\b").matcher(body);
                assertTrue(code.find(), "the 8-digit reset code reached the provider, which then failed: " + body);
                realm.awaitEvents("type=RESET_PASSWORD_ERROR", 1, e -> e.path("userId").asText().equals(userId)
                        && "sms_send_failed".equals(e.path("error").asText()));
                browser.fill("code", code.group()).submit("verify");
                assertEquals("login-sms-code.ftl", browser.template(), "a code that never went out is a lucky guess");
                assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
            }
        } finally {
            assertEquals(204, realm.updateSmsSettings(logGateway).status());
        }
    }

    @Test
    void theRecommendedFlowAsksForTheAuthenticatorAppOfAnAccountThatHasOne() {
        TestRealm guarded = TestRealm.create("reset-otp", r -> {
            AuthenticationExecutionExportRepresentation otp = new AuthenticationExecutionExportRepresentation();
            otp.setFlowAlias("reset - other second factors");
            otp.setAuthenticatorFlow(true);
            otp.setRequirement("CONDITIONAL");
            TestRealm.resetFlow(r, TestRealm.execution("reset-credentials-choose-user", "REQUIRED"),
                    TestRealm.execution("sms-reset-code", "REQUIRED"), otp, TestRealm.execution("reset-password", "REQUIRED"));
            AuthenticationFlowRepresentation otherFactors = TestRealm.flow("reset - other second factors", false,
                    TestRealm.execution("conditional-user-configured", "REQUIRED"), TestRealm.execution("auth-otp-form", "REQUIRED"));
            List<AuthenticationFlowRepresentation> flows = new ArrayList<>(r.getAuthenticationFlows());
            flows.add(otherFactors);
            r.setAuthenticationFlows(flows);
            r.setUsers(List.of(TestRealm.withSmsNumber(TestRealm.userWithTotp("app-and-phone", OTP_SECRET), "+49 151 80000068")));
        });
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(guarded.authUrl()).followLinkText("Forgot Password?");
            browser.fill("username", "app-and-phone").submitForm("//form[@id='kc-reset-password-form']");
            browser.fill("code", sms.awaitCode(mark, "68")).submit("verify");
            assertEquals("login-otp.ftl", browser.template(), "the phone alone does not reach the new password: " + browser.text());
            browser.fill("otp", "000000").submit("login");
            assertEquals("login-otp.ftl", browser.template(), "a wrong app code does not either: " + browser.text());
            assertFalse(browser.isLoggedIn());

            browser.fill("otp", new TimeBasedOTP("HmacSHA1", 6, 30, 1).generateTOTP(OTP_SECRET)).submit("login");
            assertEquals("login-update-password.ftl", browser.template(), browser.text());
            browser.fill("password-new", "New-secret-3").fill("password-confirm", "New-secret-3")
                    .submitForm("//form[@id='kc-passwd-update-form']");
            assertTrue(browser.isLoggedIn(), browser.text());
        } finally {
            guarded.delete();
        }
    }

    private static void speaksGerman(String userId) {
        UserRepresentation user = realm.admin().get(realm.path("/users/" + userId)).as(new TypeReference<UserRepresentation>() { });
        user.setAttributes(Map.of("locale", List.of("de")));
        AdminApi.Response response = realm.admin().put(realm.path("/users/" + userId), user);
        assertEquals(204, response.status(), response.body());
    }

    private static void startReset(Browser browser, String account) {
        browser.open(realm.authUrl()).followLinkText("Forgot Password?");
        browser.fill("username", account).submitForm("//form[@id='kc-reset-password-form']");
    }

    /** The account name, a wrong code, a resend: each answer, normalised. */
    private static List<String> visit(String account) {
        List<String> pages = new ArrayList<>();
        try (Browser browser = new Browser()) {
            startReset(browser, account);
            pages.add(seen(browser, account));
            browser.fill("code", "00000000").submit("verify");
            pages.add(seen(browser, account));
            browser.submit("resend");
            pages.add(seen(browser, account));
        }
        return pages;
    }

    private static String seen(Browser browser, String account) {
        String page = browser.html().asXml()
                .replaceAll("(session_code|execution|tab_id|client_data|kc_locale)=[^&\"']*", "$1=*")
                .replace(account, "ACCOUNT");
        return browser.status() + " " + new TreeSet<>(browser.cookies().keySet()) + "\n" + page;
    }
}
