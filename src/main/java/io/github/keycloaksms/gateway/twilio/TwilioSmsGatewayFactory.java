package io.github.keycloaksms.gateway.twilio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.RequiredSettings;
import io.github.keycloaksms.gateway.http.ServiceUrl;
import io.github.keycloaksms.gateway.http.SharedHttpClient;

/**
 * The {@code twilio} gateway. Its API URL may point only at Twilio's own host, so a realm admin
 * cannot send the account's token elsewhere, unless the operator names other hosts with
 * {@code --spi-sms-gateway--twilio--allowed-hosts}.
 */
public class TwilioSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "twilio";

    private static final SmsGateway GATEWAY = new TwilioSmsGateway();

    @Override
    public SmsGateway create(KeycloakSession session) {
        return GATEWAY;
    }

    @Override
    public Set<String> serviceHosts() {
        return Set.of(TwilioSmsGateway.DEFAULT_API_HOST);
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        RequiredSettings.check(config, ID, List.of(TwilioSmsGateway.ACCOUNT_SID, TwilioSmsGateway.AUTH_TOKEN, GatewayConfig.FROM), problems);
        String contentSid = config.get(TwilioSmsGateway.WHATSAPP_CONTENT_SID);
        if (contentSid != null && !contentSid.matches("HX[0-9a-fA-F]{32}")) {
            problems.add(InvalidSettingsException.Problem.of(TwilioSmsGateway.WHATSAPP_CONTENT_SID,
                    "must be a Content template SID: HX and 32 hexadecimal digits"));
        }
        ServiceUrl.check(config, TwilioSmsGateway.API_URL, TwilioSmsGateway.DEFAULT_API_URL, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /** WhatsApp goes through the same account, with an approved Content template. */
    @Override
    public Optional<String> cannotCarry(String channel, GatewayConfig config) {
        if (!"whatsapp".equals(channel)) {
            return SmsGatewayFactory.super.cannotCarry(channel, config);
        }
        return config.get(TwilioSmsGateway.WHATSAPP_CONTENT_SID) == null
                ? Optional.of("needs " + TwilioSmsGateway.WHATSAPP_CONTENT_SID + ", the SID of an approved WhatsApp template")
                : Optional.empty();
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Twilio";
    }

    @Override
    public String getHelpText() {
        return "Sends SMS (and, as the whatsapp channel, WhatsApp messages) through Twilio's Messages API and makes calls.";
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
                .property().name(TwilioSmsGateway.WHATSAPP_CONTENT_SID).label("Twilio WhatsApp template")
                .helpText("Twilio gateway, as the realm's whatsapp channel: the SID (HX...) of an approved WhatsApp Content "
                        + "template of category authentication whose variable 1 is the code; the sender is then a WhatsApp "
                        + "sender of the account.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(TwilioSmsGateway.API_URL).label("Twilio API URL")
                .helpText("Twilio gateway: base URL of the API. Only " + TwilioSmsGateway.DEFAULT_API_URL
                        + " unless the server's operator allows other hosts (Twilio-compatible APIs, proxies, tests).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(TwilioSmsGateway.DEFAULT_API_URL).add()
                .build();
    }

    @Override
    public void close() {
        SharedHttpClient.close();
    }
}
