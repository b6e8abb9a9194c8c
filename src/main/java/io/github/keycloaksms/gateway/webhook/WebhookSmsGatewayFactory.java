package io.github.keycloaksms.gateway.webhook;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.SharedHttpClient;

/**
 * The {@code webhook} gateway, for a URL of the admin's or a provider's API through a
 * {@link WebhookPreset}. It reaches public https URLs only, unless the operator names the hosts it may reach with {@code --spi-sms-gateway--webhook--allowed-hosts=sms.example.com,sms.internal}.
 */
public class WebhookSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "webhook";

    private static final SmsGateway GATEWAY = new WebhookSmsGateway();

    @Override
    public SmsGateway create(KeycloakSession session) {
        return GATEWAY;
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        if (config.selected()) {
            try {
                WebhookSettings.of(config);
            } catch (WebhookSettings.Invalid e) {
                throw new InvalidSettingsException(e.key, e.getMessage());
            }
        }
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        if (config.get(WebhookSettings.URL) != null) {
            try {
                config.http().checkWithLookup(config.get(WebhookSettings.URL));
            } catch (GatewayHttp.Refused e) {
                problems.add(InvalidSettingsException.Problem.of(WebhookSettings.URL, e.getMessage()));
            }
        }
        String authType = config.get(WebhookSettings.AUTH_TYPE);
        if (authType != null && !WebhookSettings.AUTH_TYPES.contains(authType)) {
            problems.add(InvalidSettingsException.Problem.of(WebhookSettings.AUTH_TYPE, WebhookSettings.AUTH_TYPE_PROBLEM));
        }
        try {
            WebhookPreset.of(config.get(WebhookSettings.PRESET));
            if (config.get(WebhookSettings.HEADER_NAME) != null) {
                WebhookSettings.headerName(config.get(WebhookSettings.HEADER_NAME));
            }
            WebhookBody.Format format = WebhookSettings.format(config);
            if (config.get(WebhookSettings.BODY_TEMPLATE) != null) {
                WebhookBody.check(config.get(WebhookSettings.BODY_TEMPLATE), format);
            }
        } catch (WebhookSettings.Invalid e) {
            problems.add(InvalidSettingsException.Problem.of(e.key, e.getMessage()));
        } catch (WebhookBody.InvalidTemplateException e) {
            problems.add(InvalidSettingsException.Problem.of(WebhookSettings.BODY_TEMPLATE, e.getMessage()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Webhook";
    }

    @Override
    public String getHelpText() {
        return "POSTs the SMS to a URL of yours, or to Vonage, Infobip, Plivo, Sinch or MessageBird through a preset.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<String> presets = new ArrayList<>(List.of("none"));
        presets.addAll(WebhookPreset.ids());
        return ProviderConfigurationBuilder.create()
                .property().name(WebhookSettings.PRESET).label("Webhook preset")
                .helpText("Webhook gateway: a provider whose SMS API the webhook speaks (URL, authentication and body "
                        + "filled in). vonage: username = API key, password = API secret. infobip: header value = API key. "
                        + "plivo: username = Auth ID, password = Auth Token. sinch: username = service plan id, bearer token = API token. "
                        + "messagebird: header value = access key. Set the sender too. none: your own URL and body.")
                .type(ProviderConfigProperty.LIST_TYPE).options(presets).defaultValue("none").add()
                .property().name(WebhookSettings.URL).label("Webhook URL")
                .helpText("Webhook gateway: where the body is POSTed: a public https URL, or a host the server's operator allows. "
                        + "Redirects are not followed. With a preset: empty, or only the provider's base URL "
                        + "(your Infobip base URL such as https://xxxx.api.infobip.com, https://eu.sms.api.sinch.com).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WebhookSettings.AUTH_TYPE).label("Webhook authentication")
                .helpText("Webhook gateway without preset: none, basic (username and password), bearer (token) or "
                        + "header (a header name and value of yours, e.g. X-API-Key).")
                .type(ProviderConfigProperty.LIST_TYPE).options(List.copyOf(WebhookSettings.AUTH_TYPES)).defaultValue("none").add()
                .property().name(WebhookSettings.USERNAME).label("Webhook username")
                .helpText("Webhook gateway, basic authentication: the username (vonage: API key; plivo: Auth ID; sinch: service plan id).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WebhookSettings.PASSWORD).label("Webhook password")
                .helpText("Webhook gateway, basic authentication: the password. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(WebhookSettings.TOKEN).label("Webhook bearer token")
                .helpText("Webhook gateway, bearer authentication: the token. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(WebhookSettings.HEADER_NAME).label("Webhook header name")
                .helpText("Webhook gateway, header authentication: the header's name, e.g. X-API-Key or Authorization.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WebhookSettings.HEADER_VALUE).label("Webhook header value")
                .helpText("Webhook gateway, header authentication: the header's value, e.g. 'App <key>' for Infobip (with the "
                        + "infobip and messagebird presets, the key alone will do). Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(WebhookSettings.CONTENT_TYPE).label("Webhook body format")
                .helpText("Webhook gateway without preset: json (application/json) or form (application/x-www-form-urlencoded). "
                        + "Values in the template are escaped for it.")
                .type(ProviderConfigProperty.LIST_TYPE).options(WebhookSettings.CONTENT_TYPES).defaultValue("json").add()
                .property().name(WebhookSettings.BODY_TEMPLATE).label("Webhook body template")
                .helpText("Webhook gateway without preset: a FreeMarker template of the body, with code, phone (+E.164), "
                        + "phoneDigits (without +), from, message, ttlSeconds, locale, realm and "
                        + "user.id/username/email/firstName/lastName, all escaped for the body format. "
                        + "Empty: From, To, Body and Message as authentik sends them.")
                .type(ProviderConfigProperty.TEXT_TYPE).add()
                .build();
    }

    @Override
    public void close() {
        SharedHttpClient.close();
    }
}
