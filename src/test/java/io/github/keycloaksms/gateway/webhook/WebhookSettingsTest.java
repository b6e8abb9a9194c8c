package io.github.keycloaksms.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.TestGatewayConfig;

class WebhookSettingsTest {

    private static WebhookSettings of(Map<String, String> extra, Set<String> allowedHosts) throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("gateway", "webhook", "webhookUrl", "https://sms.example.org/send"));
        config.putAll(extra);
        return WebhookSettings.of(TestGatewayConfig.of(config, allowedHosts, null));
    }

    private static String invalidKey(Map<String, String> extra, Set<String> allowedHosts) {
        return assertThrows(WebhookSettings.Invalid.class, () -> of(extra, allowedHosts)).key;
    }

    @Test
    void authenticationHeaders() throws Exception {
        assertEquals(Map.of(), of(Map.of(), Set.of()).headers());
        assertEquals(Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("sms:pa:ss".getBytes(StandardCharsets.UTF_8))),
                of(Map.of("webhookAuthType", "basic", "webhookUsername", "sms", "webhookPassword", "pa:ss"), Set.of()).headers());
        assertEquals(Map.of("Authorization", "Bearer t0k"),
                of(Map.of("webhookAuthType", "bearer", "webhookToken", "t0k"), Set.of()).headers());
    }

    @Test
    void incompleteOrWrongSettingsNameTheirKey() {
        assertEquals("webhookPassword", invalidKey(Map.of("webhookAuthType", "basic", "webhookUsername", "sms"), Set.of()));
        assertEquals("webhookToken", invalidKey(Map.of("webhookAuthType", "bearer"), Set.of()));
        assertEquals("webhookAuthType", invalidKey(Map.of("webhookAuthType", "digest"), Set.of()));
        assertEquals("webhookUrl", invalidKey(Map.of("webhookUrl", "ftp://sms.example.org/"), Set.of()));
        assertEquals("webhookUrl", invalidKey(Map.of("webhookUrl", "/relative"), Set.of()));
        assertEquals("webhookUrl", invalidKey(Map.of("webhookUrl", "https://user:pw@sms.example.org/"), Set.of()));
    }

    @Test
    void withoutTheOperatorsListOnlyPublicHttpsAddressesAreAllowed() throws Exception {
        assertEquals("webhookUrl", invalidKey(Map.of("webhookUrl", "http://sms.example.org/send"), Set.of()));
        for (String local : new String[] {"https://127.0.0.1/", "https://[::1]/", "https://169.254.169.254/",
                "https://[::ffff:127.0.0.1]/", "https://192.168.1.10/", "https://[fd00:ec2::254]/"}) {
            assertEquals("webhookUrl", invalidKey(Map.of("webhookUrl", local), Set.of()), local);
        }
        assertEquals("https", of(Map.of(), Set.of()).url().getScheme());
    }

    @Test
    void onlyHostsTheOperatorAllowsCanBeReached() throws Exception {
        assertEquals("webhookUrl", invalidKey(Map.of(), Set.of("sms.example.com")));
        assertEquals("sms.example.org", of(Map.of(), Set.of("sms.example.org")).url().getHost());
        assertEquals("webhookUrl", invalidKey(Map.of("webhookUrl", "http://169.254.169.254/latest"), Set.of("sms.example.org")));
    }
}
