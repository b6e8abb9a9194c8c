package io.github.keycloaksms.gateway.webhook;

import java.io.IOException;

import org.apache.hc.core5.http.ContentType;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.gateway.http.OutboundPolicy;
import io.github.keycloaksms.gateway.http.SmsHttpClient;

/** POSTs a JSON body to the admin's URL; any 2xx is success. */
public class WebhookSmsGateway implements SmsGateway {

    private final SmsHttpClient http;
    private final OutboundPolicy policy;

    public WebhookSmsGateway(SmsHttpClient http, OutboundPolicy policy) {
        this.http = http;
        this.policy = policy;
    }

    @Override
    public void send(SmsMessage message, SmsSettings settings) throws SmsSendException {
        WebhookSettings webhook;
        String body;
        try {
            webhook = WebhookSettings.of(settings, policy);
            body = WebhookBody.compile(webhook.bodyTemplate()).render(message, settings.get(SmsSettings.FROM));
        } catch (WebhookSettings.Invalid e) {
            throw SmsSendException.notConfigured(e.key + " " + e.getMessage());
        } catch (WebhookBody.InvalidTemplateException e) {
            throw SmsSendException.notConfigured("webhookBodyTemplate fails: " + e.getMessage());
        }

        SmsHttpClient.Answer answer;
        try {
            answer = http.post(webhook.url(), policy, webhook.headers(), ContentType.APPLICATION_JSON, body);
        } catch (OutboundPolicy.Refused e) {
            throw SmsSendException.notConfigured(WebhookSettings.URL + " " + e.getMessage());
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
                "webhook answered " + answer.status() + ": " + message.excerpt(answer.body()));
    }
}
