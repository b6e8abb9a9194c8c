package io.github.keycloaksms.gateway.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.SharedHttpClient;
import io.github.keycloaksms.gateway.http.SmsHttpClient;

public class TwilioSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "twilio";

    @Override
    public SmsGateway create(KeycloakSession session) {
        return new TwilioSmsGateway(SharedHttpClient.get(session));
    }

    @Override
    public void validate(SmsSettings settings) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        for (String key : List.of(TwilioSmsGateway.ACCOUNT_SID, TwilioSmsGateway.AUTH_TOKEN, SmsSettings.FROM)) {
            if (settings.get(key) == null) {
                problems.add(new InvalidSettingsException.Problem(key, "is required for the twilio gateway"));
            }
        }
        String apiUrl = settings.get(TwilioSmsGateway.API_URL);
        if (apiUrl != null && !isHttpUrl(apiUrl)) {
            problems.add(new InvalidSettingsException.Problem(TwilioSmsGateway.API_URL, "must be an absolute http or https URL"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            return SmsHttpClient.isHttpUrl(new URI(value));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Sends through Twilio's Messages API.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(TwilioSmsGateway.ACCOUNT_SID).label("Twilio account SID")
                .helpText("Twilio gateway: the account SID (AC...).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(TwilioSmsGateway.AUTH_TOKEN).label("Twilio auth token")
                .helpText("Twilio gateway: the auth token. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(TwilioSmsGateway.API_URL).label("Twilio API URL")
                .helpText("Twilio gateway: base URL of the API, for Twilio-compatible APIs, proxies and tests.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(TwilioSmsGateway.DEFAULT_API_URL).add()
                .build();
    }

    @Override
    public void close() {
        SharedHttpClient.close();
    }
}
