package io.github.keycloaksms.gateway.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.http.SmsHttpClient;

/** The webhook's own settings, checked the same way when an admin saves them and when a code goes out. */
record WebhookSettings(URI url, Map<String, String> headers, String bodyTemplate) {

    static final String URL = "webhookUrl";
    static final String AUTH_TYPE = "webhookAuthType";
    static final String USERNAME = "webhookUsername";
    static final String PASSWORD = "webhookPassword";
    static final String TOKEN = "webhookToken";
    static final String BODY_TEMPLATE = "webhookBodyTemplate";

    /** Why settings are unusable, naming the key. */
    static final class Invalid extends Exception {
        final String key;

        Invalid(String key, String message) {
            super(message);
            this.key = key;
        }
    }

    /** @param allowedHosts hosts the operator allows webhooks to reach; empty means any */
    static WebhookSettings of(SmsSettings settings, Set<String> allowedHosts) throws Invalid {
        return new WebhookSettings(url(settings.get(URL), allowedHosts), headers(settings), settings.get(BODY_TEMPLATE));
    }

    private static URI url(String value, Set<String> allowedHosts) throws Invalid {
        if (value == null) {
            throw new Invalid(URL, "is required for the webhook gateway");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new Invalid(URL, "is not a URL");
        }
        if (!SmsHttpClient.isHttpUrl(uri)) {
            throw new Invalid(URL, "must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null) {
            throw new Invalid(URL, "must not carry credentials: use webhookAuthType");
        }
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw new Invalid(URL, "host " + uri.getHost() + " is not among the hosts this server allows for webhooks");
        }
        return uri;
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
                throw new Invalid(AUTH_TYPE, "must be none, basic or bearer");
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
