package io.github.keycloaksms.gateway.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.http.OutboundPolicy;

/** The webhook's own settings, checked the same way when an admin saves them and when a code goes out. */
record WebhookSettings(URI url, Map<String, String> headers, String bodyTemplate) {

    static final String URL = "webhookUrl";
    static final String AUTH_TYPE = "webhookAuthType";
    static final String USERNAME = "webhookUsername";
    static final String PASSWORD = "webhookPassword";
    static final String TOKEN = "webhookToken";
    static final String BODY_TEMPLATE = "webhookBodyTemplate";
    static final Set<String> AUTH_TYPES = new LinkedHashSet<>(List.of("none", "basic", "bearer"));
    static final String AUTH_TYPE_PROBLEM = "must be none, basic or bearer";

    /** Why settings are unusable, naming the key. */
    static final class Invalid extends Exception {
        final String key;

        Invalid(String key, String message) {
            super(message);
            this.key = key;
        }
    }

    /** @param policy where the operator lets webhooks go */
    static WebhookSettings of(SmsSettings settings, OutboundPolicy policy) throws Invalid {
        return new WebhookSettings(url(settings.get(URL), policy), headers(settings), settings.get(BODY_TEMPLATE));
    }

    private static URI url(String value, OutboundPolicy policy) throws Invalid {
        if (value == null) {
            throw new Invalid(URL, "is required for the webhook gateway");
        }
        try {
            return policy.check(value);
        } catch (OutboundPolicy.Refused e) {
            throw new Invalid(URL, e.getMessage());
        }
    }

    private static Map<String, String> headers(SmsSettings settings) throws Invalid {
        String type = settings.get(AUTH_TYPE) == null ? "none" : settings.get(AUTH_TYPE);
        switch (type) {
            case "none":
                return Map.of();
            case "basic":
                String username = require(settings, USERNAME);
                String password = require(settings, PASSWORD);
                String pair = username + ":" + password;
                return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            case "bearer":
                return Map.of("Authorization", "Bearer " + require(settings, TOKEN));
            default:
                throw new Invalid(AUTH_TYPE, AUTH_TYPE_PROBLEM);
        }
    }

    private static String require(SmsSettings settings, String key) throws Invalid {
        String value = settings.get(key);
        if (value == null) {
            throw new Invalid(key, "is required for this webhookAuthType");
        }
        return value;
    }
}
