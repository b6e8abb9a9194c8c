package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.twilio.FakeTwilio;

/**
 * With real gateways (webhook, failing over to Twilio) the server log holds no code and no full
 * number, whatever happens: typos, wrong codes, resends, a webhook that echoes the request in its
 * error, a Twilio error that names the number, a number held by another account.
 */
class LogScanIT {

    private static final Pattern TWILIO_CODE = Pattern.compile("#(\\d{6})$");
    private static final KeycloakServer server = KeycloakServer.shared();
    private static WebhookSink webhook;
    private static FakeTwilio twilio;
    private static TestRealm realm;
    private static Map<String, String> settings;

    @BeforeAll
    static void start() throws IOException {
        webhook = new WebhookSink();
        twilio = new FakeTwilio();
        realm = TestRealm.create("log-scan", r -> r.setFailureFactor(30));
        settings = new HashMap<>(realm.smsSettings());
        settings.putAll(Map.of("gateway", "webhook", "webhookUrl", webhook.url("/sms"), "fallbackGateway", "twilio",
                "resendCooldown", "0", "uniqueNumbers", "true", "from", "+15005550006",
                "twilioAccountSid", "AC00000000000000000000000000000000", "twilioAuthToken", "token-1", "twilioApiUrl", twilio.url()));
        assertEquals(204, realm.updateSmsSettings(settings).status());
    }

    @AfterAll
    static void stop() {
        realm.delete();
        webhook.close();
        twilio.close();
    }

    @Test
    void noCodeAndNoFullNumberReachTheServerLog() {
        int logMark = server.mark();
        int webhookMark = webhook.mark();
        List<String> numbers = List.of("4915170000011", "15170000011", "4915170000022", "15170000022");

        realm.createUser("scanned");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("scanned", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 7000001").submit("send");
            browser.fill("phone", "+49 151 70000011").submit("send");
            browser.fill("code", "00000a").submit("verify");
            browser.submit("resend");
            browser.fill("code", Steps.wrong(lastWebhookCode())).submit("verify");
            browser.fill("code", lastWebhookCode()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("scanned", TestRealm.PASSWORD);
            browser.fill("code", Steps.wrong(lastWebhookCode())).submit("verify");
            browser.fill("code", lastWebhookCode()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }

        webhook.answer("/sms", 400, WebhookSink.ECHO, Duration.ZERO);
        realm.createUser("echoed");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("echoed", TestRealm.PASSWORD);
            browser.fill("phone", "0151 70000022").submit("send");
            assertTrue(browser.text().contains("We could not send the SMS right now."), browser.text());

            webhook.answer("/sms", 503, WebhookSink.ECHO, Duration.ZERO);
            twilio.fail(400, 21211, "The 'To' number +4915170000022 is not a valid phone number.");
            browser.fill("phone", "0151 70000022").submit("send");
            assertTrue(browser.text().contains("This is not a valid phone number")
                    || browser.text().contains("cannot receive SMS"), browser.text());

            webhook.answer("/sms", 503, WebhookSink.ECHO, Duration.ZERO);
            twilio.answer(201, "application/json", null, Map.of());
            browser.fill("phone", "0151 70000011").submit("send");
            browser.fill("code", lastTwilioCode()).submit("verify");
            assertTrue(browser.fieldError("phone").startsWith("This number is already used by another account."), browser.text());
        } finally {
            webhook.answer("/sms", 200, "{\"ok\":true}", Duration.ZERO);
        }

        List<String> codes = new ArrayList<>(webhook.since(webhookMark).stream().map(r -> r.json().get("Body").asText()).toList());
        twilio.received().forEach(r -> codes.add(code(r.form().get("Body"))));
        List<String> log = server.linesSince(logMark);
        assertTrue(log.stream().anyMatch(l -> l.contains("webhook answered 400")), "the failures were logged:\n" + String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("twilio")), "the failover was logged:\n" + String.join("\n", log));
        assertTrue(codes.size() >= 6, "codes sent: " + codes);
        for (String line : log) {
            String digits = line.replaceAll("\\D", "");
            for (String number : numbers) {
                assertFalse(digits.contains(number), "a full number in the log: " + line);
            }
            for (String code : codes) {
                assertFalse(Pattern.compile("(?<!\\d)" + code + "(?!\\d)").matcher(line).find(), "a code in the log: " + line);
            }
        }
    }

    private static String lastWebhookCode() {
        List<WebhookSink.Received> received = webhook.since(0);
        return received.get(received.size() - 1).json().get("Body").asText();
    }

    private static String lastTwilioCode() {
        List<FakeTwilio.Received> received = twilio.received();
        return code(received.get(received.size() - 1).form().get("Body"));
    }

    private static String code(String text) {
        Matcher matcher = TWILIO_CODE.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group(1);
    }
}
