package io.github.keycloaksms.gateway.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.keycloaksms.gateway.DeliveryReport;

/** Telegram's delivery reports: only a report signed with the gateway's token, and sent lately, is read. */
class TelegramReportsTest {

    private static final String TOKEN = "tg-token-1";
    private static final Instant NOW = Instant.ofEpochSecond(1_796_000_000L);

    private static byte[] report(String status) {
        return ("{\"request_id\":\"r-1\",\"phone_number\":\"+4915123456789\",\"request_cost\":0.01,\"payload\":\"LOGIN telegram u-1\","
                + "\"delivery_status\":{\"status\":\"" + status + "\",\"updated_at\":1796000000}}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> signed(long timestamp, byte[] body, String token) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-request-timestamp", Long.toString(timestamp));
        headers.put("x-request-signature", TelegramReports.sign(Long.toString(timestamp), body, token));
        return headers;
    }

    @Test
    void theSignatureIsTheHexHmacOfTimestampLineFeedBodyKeyedWithTheTokensSha256() {
        // computed with: printf '1796000000\n{}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf tg-token-1 | sha256sum | cut -c1-64)
        assertEquals("3db2f74bc27e2f76f8b6c7ad26e09319c111fde5dae3e6cffed9977198f750b9",
                TelegramReports.sign("1796000000", "{}".getBytes(StandardCharsets.UTF_8), TOKEN));
    }

    @ParameterizedTest
    @CsvSource({"sent, SENT", "delivered, DELIVERED", "read, DELIVERED", "expired, NOT_DELIVERED", "revoked, NOT_DELIVERED",
            "something_new, SENT"})
    void aSignedFreshReportIsReadWithItsOutcome(String status, DeliveryReport.Outcome outcome) {
        byte[] body = report(status);
        DeliveryReport read = TelegramReports.read(signed(NOW.getEpochSecond() - 30, body, TOKEN), body, TOKEN, NOW).orElseThrow();
        assertEquals(outcome, read.outcome());
        assertEquals(status, read.status());
        assertEquals("+4915123456789", read.to());
        assertEquals("LOGIN telegram u-1", read.tag());
    }

    @Test
    void whatIsNotSignedWithThisTokenOrNotFreshIsNoReport() {
        byte[] body = report("expired");
        assertEquals(Optional.empty(), TelegramReports.read(signed(NOW.getEpochSecond(), body, "another-token"), body, TOKEN, NOW));
        byte[] changed = report("delivered");
        assertEquals(Optional.empty(), TelegramReports.read(signed(NOW.getEpochSecond(), body, TOKEN), changed, TOKEN, NOW),
                "the body was changed after signing");
        assertEquals(Optional.empty(), TelegramReports.read(signed(NOW.getEpochSecond() - 601, body, TOKEN), body, TOKEN, NOW));
        assertEquals(Optional.empty(), TelegramReports.read(signed(NOW.getEpochSecond() + 601, body, TOKEN), body, TOKEN, NOW));
        assertTrue(TelegramReports.read(signed(NOW.getEpochSecond() - 599, body, TOKEN), body, TOKEN, NOW).isPresent());
        assertEquals(Optional.empty(), TelegramReports.read(Map.of(), body, TOKEN, NOW));
        Map<String, String> odd = signed(NOW.getEpochSecond(), body, TOKEN);
        odd.put("x-request-timestamp", "-5");
        assertEquals(Optional.empty(), TelegramReports.read(odd, body, TOKEN, NOW));
        assertEquals(Optional.empty(), TelegramReports.read(signed(NOW.getEpochSecond(), body, TOKEN), body, null, NOW),
                "a gateway without a token takes no report");
    }

    @Test
    void theSignatureMayComeInCapitals() {
        byte[] body = report("read");
        Map<String, String> headers = signed(NOW.getEpochSecond(), body, TOKEN);
        headers.put("x-request-signature", headers.get("x-request-signature").toUpperCase());
        assertTrue(TelegramReports.read(headers, body, TOKEN, NOW).isPresent());
    }
}
