package io.github.keycloaksms.gateway.telegram;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.http.JsonAnswer;
import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.gateway.http.ServiceUrl;

/**
 * Sends the code to the Telegram account behind the number through Telegram's Gateway API: only the
 * code goes, Telegram writes the message. {@code checkSendAbility} first, so a number without
 * Telegram is refused before anything is charged, and its request id makes the send itself free of a
 * second charge; {@code ttl} is the code's lifetime, after which Telegram refunds an undelivered code.
 * Only an answer whose {@code ok} is {@code true} with a {@code result} counts as sent.
 */
final class TelegramGateway implements SmsGateway {

    static final String TOKEN = "telegramToken";
    static final String API_URL = "telegramApiUrl";
    static final String SENDER = "telegramSenderUsername";
    static final String REPORTS = "telegramDeliveryReports";
    static final String DEFAULT_API_HOST = "gatewayapi.telegram.org";
    static final String DEFAULT_API_URL = "https://" + DEFAULT_API_HOST;
    /** The lifetimes the API takes, in seconds. */
    static final int MIN_TTL = 30;
    static final int MAX_TTL = 3600;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        String token = config.get(TOKEN);
        if (token == null) {
            throw SmsSendException.notConfigured("telegram needs " + TOKEN);
        }
        String base;
        try {
            base = config.http().check(ServiceUrl.of(config, API_URL, DEFAULT_API_URL)).toString().replaceAll("/+$", "");
        } catch (GatewayHttp.Refused e) {
            throw SmsSendException.notConfigured(API_URL + " " + e.getMessage());
        }
        ObjectNode ability = JSON.createObjectNode().put("phone_number", message.to().e164());
        JsonNode checked = call(config, token, base + "/checkSendAbility", ability, message);

        ObjectNode verification = JSON.createObjectNode()
                .put("phone_number", message.to().e164())
                .put("code", message.code())
                .put("ttl", Math.max(MIN_TTL, Math.min(MAX_TTL, message.ttl().toSeconds())));
        if (checked.path("request_id").isTextual()) {
            verification.put("request_id", checked.get("request_id").asText());
        }
        if (config.get(SENDER) != null) {
            verification.put("sender_username", config.get(SENDER));
        }
        if (!message.reportUrl().isEmpty()) {
            verification.put("callback_url", message.reportUrl()).put("payload", message.reportTag());
        }
        call(config, token, base + "/sendVerificationMessage", verification, message);
    }

    /** One method call; its {@code result}, or the failure its answer tells of. */
    private static JsonNode call(GatewayConfig config, String token, String url, ObjectNode parameters, SmsMessage message)
            throws SmsSendException {
        GatewayHttp.Answer answer;
        try {
            answer = config.http().post(URI.create(url), Map.of("Authorization", "Bearer " + token), "application/json",
                    JSON.writeValueAsString(parameters));
        } catch (GatewayHttp.Refused e) {
            throw SmsSendException.notConfigured(API_URL + " " + e.getMessage());
        } catch (IOException e) {
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "Telegram Gateway not reached: " + e.getMessage());
        }
        JsonNode body = JsonAnswer.parse(answer.body());
        if (answer.isSuccess() && body.path("ok").isBoolean() && body.get("ok").booleanValue() && body.path("result").isObject()) {
            return body.get("result");
        }
        throw classify(answer.status(), body.path("error").asText(""),
                "Telegram Gateway answered " + answer.status() + " to " + url.substring(url.lastIndexOf('/') + 1) + ": "
                        + Redaction.excerpt(message, answer.body()));
    }

    static SmsSendException classify(int status, String error, String adminMessage) {
        if (status == 429 || error.startsWith("FLOOD_WAIT") || error.startsWith("TOO_MANY")) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, "smsRateLimited", adminMessage);
        }
        if (status >= 500) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
        }
        if (status == 401 || status == 403 || error.startsWith("ACCESS_TOKEN") || error.startsWith("BALANCE")
                || error.startsWith("SENDER")) {
            return new SmsSendException(SmsSendException.Kind.CONFIGURATION, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    adminMessage + " (check " + TOKEN + ", " + SENDER + " and the account's balance)");
        }
        if (error.startsWith("PHONE_NUMBER")) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsNumberCannotReceive", adminMessage);
        }
        return new SmsSendException(SmsSendException.Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
    }
}
