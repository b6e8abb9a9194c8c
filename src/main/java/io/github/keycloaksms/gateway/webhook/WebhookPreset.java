package io.github.keycloaksms.gateway.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A provider's SMS API as the webhook speaks it: where to POST, how to authenticate, the body, and
 * which of its answers mean that the number cannot receive the SMS. The admin types only the
 * credentials and the sender; {@code webhookUrl}, when set, replaces the provider's base URL (an
 * account's own Infobip base URL, Sinch's EU region, a proxy), never the path.
 *
 * @param baseUrl       scheme and host of the provider's API
 * @param path          where the SMS is POSTed; {@code {username}} stands for {@code webhookUsername}
 * @param authType      basic, bearer or header (Authorization: {@code headerScheme} + {@code webhookHeaderValue})
 * @param bodyTemplate  a JSON body template over the message's variables
 * @param cannotReceive matches an error answer (or a 2xx answer that rejects the message) saying the number cannot get SMS
 * @param rejected      matches a 2xx answer that still rejects the message; null when 2xx always means accepted
 */
enum WebhookPreset {

    /** Vonage Messages API: Basic auth with the API key and secret. */
    VONAGE("https://api.nexmo.com", "/v1/messages", "basic", null,
            "{\"message_type\": \"text\", \"channel\": \"sms\", \"to\": \"${phoneDigits}\", \"from\": \"${from}\", \"text\": \"${message}\"}",
            Pattern.compile("\"detail\"\\s*:\\s*\"[^\"]*`to`"), null),
    /** Infobip SMS API v2: Authorization: App, with the API key. */
    INFOBIP("https://api.infobip.com", "/sms/2/text/advanced", "header", "App ",
            "{\"messages\": [{\"destinations\": [{\"to\": \"${phoneDigits}\"}], \"from\": \"${from}\", \"text\": \"${message}\"}]}",
            Pattern.compile("\"name\"\\s*:\\s*\"REJECTED_(?:DESTINATION|PREFIX_MISSING|NETWORK|DND)"),
            Pattern.compile("\"groupName\"\\s*:\\s*\"REJECTED\"")),
    /** Plivo Message API: Basic auth with the Auth ID and Auth Token; the Auth ID is in the path too. */
    PLIVO("https://api.plivo.com", "/v1/Account/{username}/Message/", "basic", null,
            "{\"src\": \"${from}\", \"dst\": \"${phoneDigits}\", \"text\": \"${message}\"}",
            Pattern.compile("\"error\"\\s*:\\s*\"[^\"]*(?:dst|destination)", Pattern.CASE_INSENSITIVE), null),
    /** Sinch SMS REST API: bearer token; webhookUsername holds the service plan id. */
    SINCH("https://us.sms.api.sinch.com", "/xms/v1/{username}/batches", "bearer", null,
            "{\"from\": \"${from}\", \"to\": [\"${phone}\"], \"body\": \"${message}\"}",
            Pattern.compile("\"text\"\\s*:\\s*\"[^\"]*\\b(?:to|recipient|msisdn)\\b", Pattern.CASE_INSENSITIVE), null),
    /** MessageBird (Bird) REST API: Authorization: AccessKey, with the access key. */
    MESSAGEBIRD("https://rest.messagebird.com", "/messages", "header", "AccessKey ",
            "{\"originator\": \"${from}\", \"recipients\": [\"${phoneDigits}\"], \"body\": \"${message}\"}",
            Pattern.compile("\"parameter\"\\s*:\\s*\"recipients\""), null);

    final String baseUrl;
    final String path;
    final String authType;
    final String headerScheme;
    final String bodyTemplate;
    final Pattern cannotReceive;
    final Pattern rejected;

    WebhookPreset(String baseUrl, String path, String authType, String headerScheme, String bodyTemplate,
                  Pattern cannotReceive, Pattern rejected) {
        this.baseUrl = baseUrl;
        this.path = path;
        this.authType = authType;
        this.headerScheme = headerScheme;
        this.bodyTemplate = bodyTemplate;
        this.cannotReceive = cannotReceive;
        this.rejected = rejected;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(WebhookPreset::id).toList();
    }

    /** The preset of that id; null for none (blank or "none"). */
    static WebhookPreset of(String id) throws WebhookSettings.Invalid {
        if (id == null || id.equals("none")) {
            return null;
        }
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new WebhookSettings.Invalid(WebhookSettings.PRESET, "must be none or one of " + String.join(", ", ids())));
    }

    boolean pathNeedsUsername() {
        return path.contains("{username}");
    }

    /** True when a 2xx answer still tells of a rejected message (Infobip answers 200 and rejects inside). */
    boolean rejects(String body) {
        return rejected != null && rejected.matcher(body).find();
    }
}
