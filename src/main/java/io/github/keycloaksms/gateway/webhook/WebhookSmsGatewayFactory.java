package io.github.keycloaksms.gateway.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.OutboundPolicy;
import io.github.keycloaksms.gateway.http.SharedHttpClient;

/**
 * The {@code webhook} gateway. It reaches public https URLs only, unless the operator names the
 * hosts it may reach with {@code --spi-sms-gateway--webhook--allowed-hosts=sms.example.com,sms.internal}.
 */
public class WebhookSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "webhook";

    private OutboundPolicy policy = new OutboundPolicy(Set.of(), Set.of());

    @Override
    public void init(Config.Scope config) {
        policy = OutboundPolicy.of(config);
    }

    @Override
    public SmsGateway create(KeycloakSession session) {
        return new WebhookSmsGateway(SharedHttpClient.get(session), policy);
    }

    @Override
    public void validate(SmsSettings settings) throws InvalidSettingsException {
        try {
            WebhookSettings.of(settings, policy);
        } catch (WebhookSettings.Invalid e) {
            throw new InvalidSettingsException(List.of(new InvalidSettingsException.Problem(e.key, e.getMessage())));
        }
        validateValues(settings);
    }

    @Override
    public void validateValues(SmsSettings settings) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        if (settings.get(WebhookSettings.URL) != null) {
            try {
                policy.checkWithLookup(settings.get(WebhookSettings.URL));
            } catch (OutboundPolicy.Refused e) {
                problems.add(new InvalidSettingsException.Problem(WebhookSettings.URL, e.getMessage()));
            }
        }
        String authType = settings.get(WebhookSettings.AUTH_TYPE);
        if (authType != null && !WebhookSettings.AUTH_TYPES.contains(authType)) {
            problems.add(new InvalidSettingsException.Problem(WebhookSettings.AUTH_TYPE, WebhookSettings.AUTH_TYPE_PROBLEM));
        }
        if (settings.get(WebhookSettings.BODY_TEMPLATE) != null) {
            try {
                WebhookBody.check(settings.get(WebhookSettings.BODY_TEMPLATE));
            } catch (WebhookBody.InvalidTemplateException e) {
                problems.add(new InvalidSettingsException.Problem(WebhookSettings.BODY_TEMPLATE, e.getMessage()));
            }
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
    public String getHelpText() {
        return "POSTs a JSON body to a URL of yours, which sends the SMS.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(WebhookSettings.URL).label("Webhook URL")
                .helpText("Webhook gateway: where the JSON body is POSTed: a public https URL, or a host the server's operator allows. Redirects are not followed.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WebhookSettings.AUTH_TYPE).label("Webhook authentication")
                .helpText("Webhook gateway: none, basic (username and password) or bearer (token).")
                .type(ProviderConfigProperty.LIST_TYPE).options(List.copyOf(WebhookSettings.AUTH_TYPES)).defaultValue("none").add()
                .property().name(WebhookSettings.USERNAME).label("Webhook username")
                .helpText("Webhook gateway, basic authentication: the username.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WebhookSettings.PASSWORD).label("Webhook password")
                .helpText("Webhook gateway, basic authentication: the password. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(WebhookSettings.TOKEN).label("Webhook bearer token")
                .helpText("Webhook gateway, bearer authentication: the token. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(WebhookSettings.BODY_TEMPLATE).label("Webhook body template")
                .helpText("Webhook gateway: a FreeMarker template of the JSON body, with code, phone, from, message, "
                        + "ttlSeconds, locale, realm and user.id/username/email/firstName/lastName, all JSON-escaped. "
                        + "Empty: {\"From\", \"To\", \"Body\", \"Message\"} as authentik sends it.")
                .type(ProviderConfigProperty.TEXT_TYPE).add()
                .build();
    }

    @Override
    public void close() {
        SharedHttpClient.close();
    }
}
