package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/** Generated junk posted to both pages: never a 5xx, never an SMS, never a stored number. */
class FuzzIT {

    private static final int ROUNDS = 1000;
    private static final Pattern FORM_ACTION = Pattern.compile("<form id=\"kc-sms-(?:phone|code)-form\"[^>]*action=\"([^\"]+)\"");
    private static final String[] ALPHABETS = {
            "0123456789", "+()-./ ", "abcXYZ", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "\u0000\t\r\n\u202e\u200b",
            "<>\"'&;%{}$#\\", "€ß漢字🙂"};

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;
    private final Random random = new Random(20261125);

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("fuzz", r -> r.setBruteForceProtected(false));
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void junkNumbersChangeNothing() throws Exception {
        String userId = realm.createUser("fuzz-phone");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("fuzz-phone", TestRealm.PASSWORD);
            assertEquals("login-sms-phone.ftl", browser.template());
            int mark = sms.mark();
            post(browser, "phone", true);
            assertEquals(0, sms.countSince(mark));
        }
        assertEquals(List.of(), realm.smsCredentials(userId));
    }

    @Test
    void junkCodesChangeNothing() throws Exception {
        String userId = Steps.enrolledUser(realm, sms, "fuzz-code", "+49 151 99000011", "11");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "fuzz-code", "11");
            int mark = sms.mark();
            post(browser, "code", false);
            assertEquals(0, sms.countSince(mark));
        }
        assertEquals(1, realm.smsCredentials(userId).size());
    }

    /** Posts {@link #ROUNDS} generated values, following the form's action from page to page. */
    private void post(Browser browser, String field, boolean skipRealNumbers) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String cookies = browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        String action = browser.attribute("kc-sms-" + field + "-form", "action");
        int posted = 0;
        while (posted < ROUNDS) {
            String junk = junk();
            if (skipRealNumbers && isRealNumber(junk)) {
                continue;
            }
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(action))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                    .POST(HttpRequest.BodyPublishers.ofString(field + "=" + URLEncoder.encode(junk, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() < 500, "status " + answer.statusCode() + " for input of " + junk.length() + " chars");
            Matcher next = FORM_ACTION.matcher(answer.body());
            assertTrue(next.find(), "the page still shows the form: " + answer.body());
            action = next.group(1).replace("&amp;", "&");
            posted++;
        }
    }

    private String junk() {
        int length = random.nextInt(10) == 0 ? 1000 + random.nextInt(9000) : random.nextInt(40);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
            value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return value.toString();
    }

    private static boolean isRealNumber(String input) {
        try {
            PhoneNumbers.parse(input, "DE", Set.of());
            return true;
        } catch (PhoneNumberException e) {
            return false;
        }
    }
}
