package io.github.keycloaksms.gateway.webhook;

import java.io.IOException;
import java.util.Set;

import org.apache.hc.core5.http.ContentType;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.http.SmsHttpClient;

/** POSTs a JSON body to the admin's URL; any 2xx is success. */
public class WebhookSmsGateway implements SmsGateway {

    private static final int EXCERPT = 100;

    private final SmsHttpClient http;
    private final Set<String> allowedHosts;

    public WebhookSmsGateway(SmsHttpClient http, Set<String> allowedHosts) {
        this.http = http;
        this.allowedHosts = allowedHosts;
    }

    @Override
    public void send(SmsMessage message, SmsSettings settings) throws SmsSendException {
        WebhookSettings webhook;
        String body;
        try {
            webhook = WebhookSettings.of(settings, allowedHosts);
            body = WebhookBody.compile(webhook.bodyTemplate()).render(message, settings.get(SmsSettings.FROM));
        } catch (WebhookSettings.Invalid e) {
            throw SmsSendException.notConfigured(e.key + " " + e.getMessage());
        } catch (WebhookBody.InvalidTemplateException e) {
            throw SmsSendException.notConfigured("webhookBodyTemplate fails: " + e.getMessage());
        }

        SmsHttpClient.Answer answer;
        try {
            answer = http.post(webhook.url(), webhook.headers(), ContentType.APPLICATION_JSON, body);
        } catch (IOException e) {
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "webhook " + webhook.url().getHost() + " not reached: " + e.getMessage());
        }
        if (answer.isSuccess()) {
            return;
        }
        boolean transientFailure = answer.status() >= 500 || answer.status() == 429;
        throw new SmsSendException(transientFailure ? SmsSendException.Kind.TRANSIENT : SmsSendException.Kind.REJECTED,
                SmsSendException.USER_MESSAGE_UNAVAILABLE,
                "webhook answered " + answer.status() + ": " + excerpt(answer.body(), message));
    }

    /** The start of the answer, with the code and the number blanked in case the receiver echoes them. */
    static String excerpt(String body, SmsMessage message) {
        String cleaned = message.redact(body).replaceAll("\\s+", " ").strip();
        return cleaned.length() <= EXCERPT ? cleaned : cleaned.substring(0, EXCERPT) + "…";
    }
}
