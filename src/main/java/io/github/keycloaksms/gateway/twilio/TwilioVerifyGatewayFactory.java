package io.github.keycloaksms.gateway.twilio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.RequiredSettings;
import io.github.keycloaksms.gateway.http.ServiceUrl;
import io.github.keycloaksms.gateway.http.SharedHttpClient;

/**
 * The {@code twilio-verify} gateway. Like {@code twilio}, its API URL may point only at Twilio's
 * host unless the operator names others with {@code --spi-sms-gateway--twilio-verify--allowed-hosts}.
 */
public class TwilioVerifyGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "twilio-verify";

    private static final SmsGateway GATEWAY = new TwilioVerifyGateway();

    @Override
    public SmsGateway create(KeycloakSession session) {
        return GATEWAY;
    }

    @Override
    public Set<String> serviceHosts() {
        return Set.of(TwilioVerifyGateway.DEFAULT_API_HOST);
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        RequiredSettings.check(config, ID,
                List.of(TwilioVerifyGateway.ACCOUNT_SID, TwilioVerifyGateway.AUTH_TOKEN, TwilioVerifyGateway.SERVICE_SID), problems);
        String service = config.get(TwilioVerifyGateway.SERVICE_SID);
        if (service != null && !service.matches("VA[0-9a-fA-F]{32}")) {
            problems.add(InvalidSettingsException.Problem.of(TwilioVerifyGateway.SERVICE_SID,
                    "must be a Verify service SID: VA and 32 hexadecimal digits"));
        }
        ServiceUrl.check(config, TwilioVerifyGateway.API_URL, TwilioVerifyGateway.DEFAULT_API_URL, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /** Verify sends by WhatsApp too, once the service has a WhatsApp sender. */
    @Override
    public Optional<String> cannotCarry(String channel, GatewayConfig config) {
        return "whatsapp".equals(channel) ? Optional.empty() : SmsGatewayFactory.super.cannotCarry(channel, config);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Twilio Verify";
    }

    @Override
    public String getHelpText() {
        return "Twilio Verify makes, sends (SMS, call, WhatsApp) and checks the codes; our limits still apply.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(TwilioVerifyGateway.ACCOUNT_SID).label("Twilio Verify account SID")
                .helpText("Twilio Verify gateway: the account SID (AC...).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(TwilioVerifyGateway.AUTH_TOKEN).label("Twilio Verify auth token")
                .helpText("Twilio Verify gateway: the auth token. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(TwilioVerifyGateway.SERVICE_SID).label("Twilio Verify service SID")
                .helpText("Twilio Verify gateway: the Verify service (VA...). Its code length must be the realm's code length "
                        + "(and, for reset by SMS, the reset code length).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(TwilioVerifyGateway.API_URL).label("Twilio Verify API URL")
                .helpText("Twilio Verify gateway: base URL of the API. Only " + TwilioVerifyGateway.DEFAULT_API_URL
                        + " unless the server's operator allows other hosts (proxies, tests).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(TwilioVerifyGateway.DEFAULT_API_URL).add()
                .build();
    }

    @Override
    public void close() {
        SharedHttpClient.close();
    }
}
