package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Send limits and single use, held by Keycloak's cluster-wide store, also under concurrent requests. */
class LimitsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("limits", r -> {
            r.setBruteForceProtected(false);
            TestRealm.smsConfig(r).put("resendCooldown", "3");
            TestRealm.smsConfig(r).put("maxSendsPerLogin", "3");
            TestRealm.smsConfig(r).put("maxSendsPerUserPerDay", "6");
        });
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void aLoginGetsOnlySoManyCodesAndTheRefusalIsExplainedAndRecorded() {
        String userId = Steps.enrolledUser(realm, sms, "per-login", "+49 151 90000011", "11");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "per-login", "11");
            for (int resend = 1; resend <= 2; resend++) {
                KeycloakServer.sleep(Duration.ofMillis(3100));
                int mark = sms.mark();
                browser.submit("resend");
                sms.awaitCode(mark, "11");
            }
            KeycloakServer.sleep(Duration.ofMillis(3100));
            int mark = sms.mark();
            browser.submit("resend");
            assertTrue(browser.text().contains("You have asked for too many codes in this login."), browser.text());
            assertEquals(0, sms.countSince(mark));
        }
        JsonNode events = realm.admin().get(realm.path("/events?type=LOGIN_ERROR&user=" + userId)).json();
        assertEquals("sms_send_limited", events.get(0).get("error").asText());
        assertEquals("login", events.get(0).get("details").get("reason").asText());
    }

    @Test
    void aUserGetsOnlySoManyCodesPerDayAcrossLogins() {
        Steps.enrolledUser(realm, sms, "per-user", "+49 151 90000022", "22");   // 1 code
        for (int login = 2; login <= 6; login++) {
            try (Browser browser = new Browser()) {
                Steps.loginUntilCodePage(browser, realm, sms, "per-user", "22");
            }
        }
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).login("per-user", TestRealm.PASSWORD);
            assertTrue(browser.text().contains("Your account has received too many codes today."), browser.text());
            assertEquals(0, sms.countSince(mark));
        }
    }

    @Test
    void oneClientAddressGetsOnlySoManyCodesPerHour() {
        TestRealm tight = TestRealm.create("ip-limit", r -> TestRealm.smsConfig(r).put("maxSendsPerIpPerHour", "2"));
        try {
            Steps.enrolledUser(tight, sms, "ip-user", "+49 151 90000055", "55");   // 1 code
            try (Browser browser = new Browser()) {
                Steps.loginUntilCodePage(browser, tight, sms, "ip-user", "55");   // 2 codes
            }
            tight.createUser("ip-user-2");
            try (Browser browser = new Browser()) {
                browser.open(tight.authUrl()).login("ip-user-2", TestRealm.PASSWORD);
                int mark = sms.mark();
                browser.fill("phone", "+49 151 90000066").submit("send");
                assertEquals("login-sms-phone.ftl", browser.template());
                assertTrue(browser.text().contains("Too many codes were requested from your network."), browser.text());
                assertEquals(0, sms.countSince(mark));
            }
        } finally {
            tight.delete();
        }
    }

    @Test
    void twentyParallelResendsSendAtMostOneSms() throws Exception {
        Steps.enrolledUser(realm, sms, "parallel-resend", "+49 151 90000033", "33");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "parallel-resend", "33");
            KeycloakServer.sleep(Duration.ofMillis(3100));
            int mark = sms.mark();
            List<HttpResponse<String>> answers = postInParallel(browser, "resend=");
            answers.forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
            KeycloakServer.sleep(Duration.ofSeconds(1));
            assertEquals(1, sms.countSince(mark));
        }
    }

    @Test
    void twentyParallelSubmissionsOfTheRightCodeLetExactlyOneThrough() throws Exception {
        Steps.enrolledUser(realm, sms, "parallel-code", "+49 151 90000044", "44");
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "parallel-code", "44");
            List<HttpResponse<String>> answers = postInParallel(browser, "code=" + code);
            answers.forEach(a -> assertTrue(a.statusCode() < 500, "status " + a.statusCode()));
            long loggedIn = answers.stream()
                    .filter(a -> a.headers().firstValue("Location").orElse("").startsWith(TestRealm.REDIRECT_URI + "?"))
                    .filter(a -> a.headers().firstValue("Location").orElse("").contains("code="))
                    .count();
            assertEquals(1, loggedIn);
        }
    }

    /** 20 POSTs of the code form at once, with the browser's cookies. */
    private static List<HttpResponse<String>> postInParallel(Browser browser, String form) throws Exception {
        String action = browser.attribute("kc-sms-code-form", "action");
        String cookies = browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : pending) {
            answers.add(answer.get());
        }
        return answers;
    }
}
