package io.github.keycloaksms.gateway.telegram;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.keycloaksms.gateway.DeliveryReport;
import io.github.keycloaksms.gateway.http.JsonAnswer;

/**
 * Reads the delivery reports Telegram's Gateway API posts to a message's {@code callback_url}: a
 * RequestStatus, signed with {@code X-Request-Signature} = hex HMAC-SHA-256 of
 * {@code X-Request-Timestamp + "\n" + body}, keyed with the SHA-256 of the API token. A report
 * whose signature does not match or whose timestamp is more than {@link #MAX_AGE} away from now is none.
 */
final class TelegramReports {

    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private TelegramReports() {
    }

    static Optional<DeliveryReport> read(Map<String, String> headers, byte[] body, String token, Instant now) {
        String timestamp = headers.get("x-request-timestamp");
        String signature = headers.get("x-request-signature");
        if (token == null || timestamp == null || signature == null || !timestamp.matches("\\d{1,12}")
                || Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), now).abs().compareTo(MAX_AGE) > 0
                || !MessageDigest.isEqual(signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                        sign(timestamp, body, token).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        JsonNode status = JsonAnswer.parse(new String(body, StandardCharsets.UTF_8));
        String delivery = status.path("delivery_status").path("status").asText("");
        return Optional.of(DeliveryReport.of(outcome(delivery), delivery, status.path("phone_number").asText(null),
                status.path("payload").asText(null)));
    }

    static String sign(String timestamp, byte[] body, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)),
                    "HmacSHA256"));
            mac.update((timestamp + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", e);
        }
    }

    private static DeliveryReport.Outcome outcome(String status) {
        return switch (status) {
            case "delivered", "read" -> DeliveryReport.Outcome.DELIVERED;
            case "expired", "revoked" -> DeliveryReport.Outcome.NOT_DELIVERED;
            default -> DeliveryReport.Outcome.SENT;
        };
    }
}
