package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

/** Steps a user takes again and again in the tests. */
final class Steps {

    private Steps() {
    }

    /** Creates a user who has enrolled {@code phone} already, in a browser of its own; returns the user id. */
    static String enrolledUser(TestRealm realm, SmsLog sms, String username, String phone, String lastTwoDigits) {
        String userId = realm.createUser(username);
        try (Browser browser = new Browser()) {
            loginEnrolling(browser, realm, sms, username, phone, lastTwoDigits);
        }
        return userId;
    }

    /** Logs in with the password and enrolls {@code phone} (ending in {@code lastTwoDigits}) on the way. */
    static void loginEnrolling(Browser browser, TestRealm realm, SmsLog sms, String username, String phone, String lastTwoDigits) {
        browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
        assertEquals("login-sms-phone.ftl", browser.template());
        enrollOnPhonePage(browser, sms, phone, lastTwoDigits);
    }

    static void enrollOnPhonePage(Browser browser, SmsLog sms, String phone, String lastTwoDigits) {
        int mark = sms.mark();
        browser.fill("phone", phone).submit("send");
        assertEquals("login-sms-code.ftl", browser.template());
        browser.fill("code", sms.awaitCode(mark, lastTwoDigits)).submit("verify");
        assertTrue(browser.isLoggedIn(), browser.text());
    }

    /**
     * A new user tries to enroll a number another account holds: the code is sent and accepted, and
     * only then is the number refused. Returns the new user's id.
     */
    static String failsToEnrollTakenNumber(TestRealm realm, SmsLog sms, String username, String phone, String lastTwoDigits) {
        String userId = realm.createUser(username);
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
            int mark = sms.mark();
            browser.fill("phone", phone).submit("send");
            assertEquals("login-sms-code.ftl", browser.template(), "nothing is revealed before the code");
            browser.fill("code", sms.awaitCode(mark, lastTwoDigits)).submit("verify");
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.fieldError("phone").startsWith("This number is already used by another account."), browser.text());
        }
        assertEquals(0, realm.smsCredentials(userId).size());
        return userId;
    }

    /** Logs in with the password; the code goes to the only enrolled number. Returns the code. */
    static String loginUntilCodePage(Browser browser, TestRealm realm, SmsLog sms, String username, String lastTwoDigits) {
        int mark = sms.mark();
        browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
        assertEquals("login-sms-code.ftl", browser.template());
        return sms.awaitCode(mark, lastTwoDigits);
    }

    /** Logs in with the password and the code sent to the only enrolled number. Returns the code, now used. */
    static String logIn(Browser browser, TestRealm realm, SmsLog sms, String username, String lastTwoDigits) {
        String code = loginUntilCodePage(browser, realm, sms, username, lastTwoDigits);
        browser.fill("code", code).submit("verify");
        assertTrue(browser.isLoggedIn(), browser.text());
        return code;
    }

    /** A number as the pages show it for reading, e.g. {@code +49 1515 0000021}. */
    /** A label as the extension writes it: the masked number in it with no-break spaces, so that it never breaks across lines. */
    static String unbroken(String label) {
        return label.replaceAll("(\\+\\d{1,3}) (•••) (••••) (\\d\\d)", "$1\u00A0$2\u00A0$3\u00A0$4");
    }

    static String forReading(String number) {
        com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        try {
            return util.format(util.parse(number, null), com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            throw new IllegalArgumentException(number, e);
        }
    }

    /** A code of the same length that is certainly wrong. */
    static String wrong(String code) {
        char first = code.charAt(0) == '9' ? '0' : (char) (code.charAt(0) + 1);
        return first + code.substring(1);
    }

    /** {@code count} different codes of the same length, all wrong, as form bodies. */
    static List<String> wrongCodes(String code, int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(i -> "code=" + String.format("%0" + code.length() + "d", (Long.parseLong(code) + i) % (long) Math.pow(10, code.length())))
                .toList();
    }

    /** Types wrong codes on the code page until it says the code is dead (at most 12 tries). */
    static void guessUntilTheCodeIsDead(Browser browser, String code) {
        for (int i = 0; i < 12 && !browser.text().contains("Too many wrong attempts."); i++) {
            browser.fill("code", wrong(code)).submit("verify");
        }
        assertTrue(browser.text().contains("Too many wrong attempts."), browser.text());
    }
}
