package io.github.keycloaksms.gateway.whatsapp;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * Sends the code through the WhatsApp Business Cloud API as an approved authentication template:
 * the code is the body's parameter and the copy-code button's, in the template language closest to
 * the user's. Only an answer that names the message it accepted counts as sent.
 */
final class WhatsAppGateway implements SmsGateway {

    static final String PHONE_NUMBER_ID = "whatsappPhoneNumberId";
    static final String ACCESS_TOKEN = "whatsappAccessToken";
    static final String TEMPLATE = "whatsappTemplate";
    static final String LANGUAGES = "whatsappTemplateLanguages";
    static final String API_URL = "whatsappApiUrl";
    static final String DEFAULT_API_HOST = "graph.facebook.com";
    static final String DEFAULT_API_URL = "https://" + DEFAULT_API_HOST + "/v21.0";
    static final String DEFAULT_LANGUAGES = "en_US";

    /** Errors of the sender's account, token or template: the admin's to fix. */
    private static final Set<Integer> CONFIGURATION = Set.of(3, 10, 100, 190, 200, 131005, 131008, 131009, 131031, 132000,
            132001, 132005, 132007, 132012, 132015, 132016, 133010);
    /** The number has no WhatsApp, or cannot get this message. */
    private static final Set<Integer> CANNOT_RECEIVE = Set.of(131026, 131030, 131045);
    /** Rate limits and the platform's passing failures. */
    private static final Set<Integer> PASSING = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        String phoneNumberId = config.get(PHONE_NUMBER_ID);
        String token = config.get(ACCESS_TOKEN);
        String template = config.get(TEMPLATE);
        if (phoneNumberId == null || token == null || template == null) {
            throw SmsSendException.notConfigured("whatsapp needs " + PHONE_NUMBER_ID + ", " + ACCESS_TOKEN + " and " + TEMPLATE);
        }
        URI url;
        try {
            url = config.http().check(ServiceUrl.of(config, API_URL, DEFAULT_API_URL).replaceAll("/+$", "") + "/" + phoneNumberId + "/messages");
        } catch (GatewayHttp.Refused e) {
            throw SmsSendException.notConfigured(API_URL + " " + e.getMessage());
        }
        GatewayHttp.Answer answer;
        try {
            answer = config.http().post(url, Map.of("Authorization", "Bearer " + token), "application/json",
                    JSON.writeValueAsString(body(message, template, language(message.locale(), config.get(LANGUAGES)))));
        } catch (GatewayHttp.Refused e) {
            throw SmsSendException.notConfigured(API_URL + " " + e.getMessage());
        } catch (IOException e) {
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "WhatsApp Cloud API not reached: " + e.getMessage());
        }
        JsonNode answered = JsonAnswer.parse(answer.body());
        if (answer.isSuccess() && answered.path("messages").path(0).path("id").isTextual()
                && !answered.path("messages").path(0).path("id").asText().isBlank()) {
            return;
        }
        throw classify(answer.status(), answered.path("error").path("code").asInt(0),
                "WhatsApp Cloud API answered " + answer.status() + ": " + Redaction.excerpt(message, answer.body()));
    }

    /** An authentication template: the code in its body and in its copy-code button. */
    static ObjectNode body(SmsMessage message, String template, String language) {
        ObjectNode body = JSON.createObjectNode()
                .put("messaging_product", "whatsapp")
                .put("recipient_type", "individual")
                .put("to", message.to().e164())
                .put("type", "template");
        ObjectNode templateNode = body.putObject("template").put("name", template);
        templateNode.putObject("language").put("code", language);
        var components = templateNode.putArray("components");
        components.addObject().put("type", "body").putArray("parameters").addObject().put("type", "text").put("text", message.code());
        components.addObject().put("type", "button").put("sub_type", "url").put("index", "0")
                .putArray("parameters").addObject().put("type", "text").put("text", message.code());
        return body;
    }

    /**
     * The template language for the user's locale among those the template was approved in: the
     * same language and country, else the same language, else the first listed.
     */
    static String language(Locale locale, String approved) {
        List<String> languages = Arrays.stream((approved == null ? DEFAULT_LANGUAGES : approved).split(","))
                .map(String::strip).filter(language -> !language.isEmpty()).toList();
        if (locale != null) {
            String exact = locale.getCountry().isEmpty() ? locale.getLanguage() : locale.getLanguage() + "_" + locale.getCountry();
            for (String candidate : List.of(exact, locale.getLanguage())) {
                for (String language : languages) {
                    if (language.equalsIgnoreCase(candidate)) {
                        return language;
                    }
                }
            }
            for (String language : languages) {
                if (language.toLowerCase(Locale.ROOT).startsWith(locale.getLanguage() + "_")) {
                    return language;
                }
            }
        }
        return languages.isEmpty() ? DEFAULT_LANGUAGES : languages.get(0);
    }

    static SmsSendException classify(int status, int code, String adminMessage) {
        if (status == 429 || status >= 500 || PASSING.contains(code)) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT,
                    status == 429 || code == 130429 || code == 131056 || code == 80007 || code == 4 ? "smsRateLimited"
                            : SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
        }
        if (CANNOT_RECEIVE.contains(code)) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsNumberCannotReceive", adminMessage);
        }
        if (status == 401 || status == 403 || CONFIGURATION.contains(code)) {
            return new SmsSendException(SmsSendException.Kind.CONFIGURATION, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    adminMessage + " (check " + PHONE_NUMBER_ID + ", " + ACCESS_TOKEN + ", " + TEMPLATE + " and " + LANGUAGES + ")");
        }
        return new SmsSendException(SmsSendException.Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
    }
}
