package io.github.keycloaksms.gateway.webhook;

import java.io.IOException;

import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;

/**
 * POSTs the body to the admin's URL, or to a provider's API through a {@link WebhookPreset}; any
 * 2xx is success, unless the preset's provider rejects the message inside a 2xx answer.
 */
final class WebhookSmsGateway implements SmsGateway {

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        WebhookSettings webhook;
        String body;
        try {
            webhook = WebhookSettings.of(config);
            body = WebhookBody.compile(webhook.bodyTemplate(), webhook.format()).render(message, config.from());
        } catch (WebhookSettings.Invalid e) {
            throw SmsSendException.notConfigured(e.key + " " + e.getMessage());
        } catch (WebhookBody.InvalidTemplateException e) {
            throw SmsSendException.notConfigured("webhookBodyTemplate fails: " + e.getMessage());
        }

        GatewayHttp.Answer answer;
        try {
            answer = config.http().post(webhook.url(), webhook.headers(), webhook.format().contentType, body);
        } catch (GatewayHttp.Refused e) {
            throw SmsSendException.notConfigured(WebhookSettings.URL + " " + e.getMessage());
        } catch (IOException e) {
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    who(webhook) + " " + webhook.url().getHost() + " not reached: " + e.getMessage());
        }
        if (answer.isSuccess() && (webhook.preset() == null || !webhook.preset().rejects(answer.body()))) {
            return;
        }
        throw classify(answer, webhook.preset(), who(webhook) + " answered " + answer.status() + ": " + Redaction.excerpt(message, answer.body()));
    }

    private static String who(WebhookSettings webhook) {
        return webhook.preset() == null ? "webhook" : webhook.preset().id();
    }

    static SmsSendException classify(GatewayHttp.Answer answer, WebhookPreset preset, String adminMessage) {
        int status = answer.status();
        if (status == 429) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, "smsRateLimited", adminMessage);
        }
        if (status >= 500) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
        }
        if (status == 401 || status == 403) {
            return new SmsSendException(SmsSendException.Kind.CONFIGURATION, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    adminMessage + " (check the webhook's credentials)");
        }
        if (preset != null && preset.cannotReceive.matcher(answer.body()).find()) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsNumberCannotReceive", adminMessage);
        }
        return new SmsSendException(SmsSendException.Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
    }
}
