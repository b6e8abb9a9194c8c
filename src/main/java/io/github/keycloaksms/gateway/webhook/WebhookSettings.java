package io.github.keycloaksms.gateway.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;

/**
 * The webhook's own settings, checked the same way when an admin saves them and when a code goes
 * out. With a {@link WebhookPreset}, the preset decides the path, authentication, format and body.
 */
record WebhookSettings(URI url, Map<String, String> headers, WebhookBody.Format format, String bodyTemplate, WebhookPreset preset) {

    static final String URL = "webhookUrl";
    static final String PRESET = "webhookPreset";
    static final String AUTH_TYPE = "webhookAuthType";
    static final String USERNAME = "webhookUsername";
    static final String PASSWORD = "webhookPassword";
    static final String TOKEN = "webhookToken";
    static final String HEADER_NAME = "webhookHeaderName";
    static final String HEADER_VALUE = "webhookHeaderValue";
    static final String CONTENT_TYPE = "webhookContentType";
    static final String BODY_TEMPLATE = "webhookBodyTemplate";
    static final Set<String> AUTH_TYPES = new LinkedHashSet<>(List.of("none", "basic", "bearer", "header"));
    static final String AUTH_TYPE_PROBLEM = "must be none, basic, bearer or header";
    static final List<String> CONTENT_TYPES = List.of("json", "form");

    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern TOKEN_CHARS = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** Headers the client sets itself: a second one would garble the request. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "transfer-encoding",
            "connection", "expect", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization");
    /** What may stand in a URL path: an account id, a service plan id. */
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /** Why settings are unusable, naming the key. */
    static final class Invalid extends Exception {
        final String key;

        Invalid(String key, String message) {
            super(message);
            this.key = key;
        }
    }

    static WebhookSettings of(GatewayConfig config) throws Invalid {
        WebhookPreset preset = WebhookPreset.of(config.get(PRESET));
        if (preset == null) {
            return new WebhookSettings(url(config, URL, config.get(URL)), headers(config, authType(config), null),
                    format(config), config.get(BODY_TEMPLATE), null);
        }
        String base = config.get(URL) == null ? preset.baseUrl : baseUrl(config, config.get(URL));
        String path = preset.path;
        if (preset.pathNeedsUsername()) {
            path = path.replace("{username}", pathSegment(require(config, USERNAME)));
        }
        return new WebhookSettings(url(config, URL, base + path), headers(config, preset.authType, preset.headerScheme),
                WebhookBody.Format.JSON, preset.bodyTemplate, preset);
    }

    private static String authType(GatewayConfig config) throws Invalid {
        String type = config.get(AUTH_TYPE) == null ? "none" : config.get(AUTH_TYPE);
        if (!AUTH_TYPES.contains(type)) {
            throw new Invalid(AUTH_TYPE, AUTH_TYPE_PROBLEM);
        }
        return type;
    }

    static WebhookBody.Format format(GatewayConfig config) throws Invalid {
        String type = config.get(CONTENT_TYPE) == null ? "json" : config.get(CONTENT_TYPE);
        if (!CONTENT_TYPES.contains(type)) {
            throw new Invalid(CONTENT_TYPE, "must be json or form");
        }
        return WebhookBody.Format.valueOf(type.toUpperCase(Locale.ROOT));
    }

    private static URI url(GatewayConfig config, String key, String value) throws Invalid {
        if (value == null) {
            throw new Invalid(key, "is required for the webhook gateway (or choose a webhookPreset)");
        }
        try {
            return config.http().check(value);
        } catch (GatewayHttp.Refused e) {
            throw new Invalid(key, e.getMessage());
        }
    }

    /** @param headerScheme what precedes the header value a preset's admin types ("App "), or null */
    private static Map<String, String> headers(GatewayConfig config, String type, String headerScheme) throws Invalid {
        switch (type) {
            case "basic":
                String pair = require(config, USERNAME) + ":" + require(config, PASSWORD);
                return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            case "bearer":
                return Map.of("Authorization", "Bearer " + headerValue(TOKEN, require(config, TOKEN)));
            case "header":
                String value = headerValue(HEADER_VALUE, require(config, HEADER_VALUE));
                if (headerScheme != null) {
                    boolean typedWithScheme = value.regionMatches(true, 0, headerScheme, 0, headerScheme.length());
                    return Map.of("Authorization", typedWithScheme ? value : headerScheme + value);
                }
                return Map.of(headerName(require(config, HEADER_NAME)), value);
            default:
                return Map.of();
        }
    }

    static String headerName(String name) throws Invalid {
        if (!TOKEN_CHARS.matcher(name).matches() || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new Invalid(HEADER_NAME, "must be an HTTP header name such as Authorization or X-API-Key (not one the client sets itself)");
        }
        return name;
    }

    private static String headerValue(String key, String value) throws Invalid {
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Invalid(key, "must not contain line breaks or control characters");
        }
        return value;
    }

    private static String pathSegment(String value) throws Invalid {
        if (!PATH_SEGMENT.matcher(value).matches()) {
            throw new Invalid(USERNAME, "must be the account or service plan id (letters, digits, - and _)");
        }
        return value;
    }

    /** With a preset, webhookUrl names only where the provider's API is; the preset adds the path. */
    private static String baseUrl(GatewayConfig config, String value) throws Invalid {
        URI uri = url(config, URL, value);
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/") || uri.getRawQuery() != null) {
            throw new Invalid(URL, "with a webhookPreset, give only the provider's base URL (such as https://xxxx.api.infobip.com) or leave it empty");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static String require(GatewayConfig config, String key) throws Invalid {
        String value = config.get(key);
        if (value == null) {
            throw new Invalid(key, "is required for this webhookAuthType or webhookPreset");
        }
        return value;
    }
}
