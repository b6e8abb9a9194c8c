package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Codes that must not work twice or elsewhere, and users who restart or go back in the middle of a login. */
class ReplayAndNavigationIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.createWithoutLockoutOrCooldown("replay");
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void aUsedCodeDoesNotWorkAgain() {
        Steps.enrolledUser(realm, sms, "used", "+49 151 60000011", "11");
        String used;
        try (Browser browser = new Browser()) {
            used = Steps.logIn(browser, realm, sms, "used", "11");
        }
        try (Browser browser = new Browser()) {
            String fresh = Steps.loginUntilCodePage(browser, realm, sms, "used", "11");
            refusedThenAccepted(browser, used, fresh);
        }
    }

    @Test
    void aCodeSentForAnotherLoginDoesNotWork() {
        Steps.enrolledUser(realm, sms, "two-tabs", "+49 151 60000022", "22");
        try (Browser first = new Browser(); Browser second = new Browser()) {
            String forFirst = Steps.loginUntilCodePage(first, realm, sms, "two-tabs", "22");
            String forSecond = Steps.loginUntilCodePage(second, realm, sms, "two-tabs", "22");
            refusedThenAccepted(second, forFirst, forSecond);
            first.fill("code", forFirst).submit("verify");
            assertTrue(first.isLoggedIn(), "each login keeps its own code: " + first.text());
        }
    }

    @Test
    void anEnrollmentCodeDoesNotWorkAtLogin() {
        Steps.enrolledUser(realm, sms, "enrolling", "+49 151 60000033", "33");
        realm.createUser("enrolling-elsewhere");
        try (Browser enrolling = new Browser(); Browser login = new Browser()) {
            // another account sends an enrollment code to the same number (an account gets none for its own number)
            enrolling.open(realm.authUrl()).login("enrolling-elsewhere", TestRealm.PASSWORD);
            int mark = sms.mark();
            enrolling.fill("phone", "+49 151 60000033").submit("send");
            assertEquals("login-sms-code.ftl", enrolling.template());
            String enrollmentCode = sms.awaitCode(mark, "33");

            String loginCode = Steps.loginUntilCodePage(login, realm, sms, "enrolling", "33");
            refusedThenAccepted(login, enrollmentCode, loginCode);
        }
    }

    @Test
    void restartingTheLoginForgetsTheCodeSentBefore() {
        Steps.enrolledUser(realm, sms, "restart", "+49 151 60000044", "44");
        try (Browser browser = new Browser()) {
            String before = Steps.loginUntilCodePage(browser, realm, sms, "restart", "44");
            String action = browser.attribute("kc-sms-code-form", "action");
            browser.open(action.replace("/login-actions/authenticate?", "/login-actions/restart?"));
            assertEquals("login.ftl", browser.template(), "the login starts over");
            int mark = sms.mark();
            browser.login("restart", TestRealm.PASSWORD);
            assertEquals("login-sms-code.ftl", browser.template());
            String after = sms.awaitCode(mark, "44");
            refusedThenAccepted(browser, before, after);
        }
    }

    @Test
    void goingBackToThePasswordPageSendsNothingAndTheLoginGoesOn() {
        Steps.enrolledUser(realm, sms, "back", "+49 151 60000055", "55");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "back", "55");
            int mark = sms.mark();
            browser.back();
            assertEquals("login.ftl", browser.template());
            assertEquals(0, sms.countSince(mark), "going back sends nothing");
            browser.login("back", TestRealm.PASSWORD);
            assertEquals("login-sms-code.ftl", browser.template());
            browser.fill("code", sms.awaitCode(mark, "55")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
            assertEquals(1, sms.countSince(mark), "one SMS for the password entered again");
        }
    }

    /** A code that must be refused with the page's usual message, then the right one, which logs in. */
    private static void refusedThenAccepted(Browser browser, String refused, String accepted) {
        if (refused.equals(accepted)) {
            throw new AssertionError("two random codes happened to be equal; run again");
        }
        int mark = sms.mark();
        browser.fill("code", refused).submit("verify");
        assertFalse(browser.isLoggedIn());
        assertEquals("login-sms-code.ftl", browser.template());
        assertTrue(browser.fieldError("code").startsWith("That code is not right."), browser.text());
        browser.fill("code", accepted).submit("verify");
        assertTrue(browser.isLoggedIn(), browser.text());
        assertEquals(0, sms.countSince(mark), "a refused code sends nothing");
    }
}
