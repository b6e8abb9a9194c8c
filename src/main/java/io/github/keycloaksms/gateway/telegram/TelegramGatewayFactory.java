package io.github.keycloaksms.gateway.telegram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.DeliveryReport;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.RequiredSettings;
import io.github.keycloaksms.gateway.http.ServiceUrl;

/**
 * The {@code telegram} gateway: codes to the Telegram account behind a number, through Telegram's
 * Gateway API. Its API URL may point only at Telegram's host unless the operator names others with
 * {@code --spi-sms-gateway--telegram--allowed-hosts}.
 */
public class TelegramGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "telegram";

    private static final SmsGateway GATEWAY = new TelegramGateway();

    @Override
    public SmsGateway create(KeycloakSession session) {
        return GATEWAY;
    }

    @Override
    public Set<String> serviceHosts() {
        return Set.of(TelegramGateway.DEFAULT_API_HOST);
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        RequiredSettings.check(config, ID, List.of(TelegramGateway.TOKEN), problems);
        String sender = config.get(TelegramGateway.SENDER);
        if (sender != null && !sender.matches("[A-Za-z][A-Za-z0-9_]{4,31}")) {
            problems.add(InvalidSettingsException.Problem.of(TelegramGateway.SENDER,
                    "must be a Telegram channel's username (5 to 32 letters, digits or _, without @)"));
        }
        ServiceUrl.check(config, TelegramGateway.API_URL, TelegramGateway.DEFAULT_API_URL, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    @Override
    public boolean asksForReports(GatewayConfig config) {
        return Boolean.parseBoolean(config.get(TelegramGateway.REPORTS));
    }

    @Override
    public Optional<DeliveryReport> readReport(Map<String, String> headers, byte[] body, GatewayConfig config) {
        return TelegramReports.read(headers, body, config.get(TelegramGateway.TOKEN), Instant.now());
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Telegram Gateway";
    }

    @Override
    public String getHelpText() {
        return "Sends the code to the Telegram account behind the number, through Telegram's Gateway API.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(TelegramGateway.TOKEN).label("Telegram Gateway token")
                .helpText("Telegram gateway: the API token of the Telegram Gateway account. Use ${vault.NAME} to keep it in "
                        + "Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(TelegramGateway.SENDER).label("Telegram sender channel")
                .helpText("Telegram gateway: the username of a verified channel of yours that sends the codes, without @. "
                        + "Empty: Telegram's own Verification Codes channel.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(TelegramGateway.REPORTS).label("Telegram delivery reports")
                .helpText("Telegram gateway: asks Telegram to report whether each code arrived; a code that did not "
                        + "(expired, revoked) becomes an sms_not_delivered event. Telegram posts the reports to this "
                        + "Keycloak's public URL, which must be reachable from the internet over HTTPS.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(TelegramGateway.API_URL).label("Telegram Gateway API URL")
                .helpText("Telegram gateway: base URL of the API. Only " + TelegramGateway.DEFAULT_API_URL
                        + " unless the server's operator allows other hosts (proxies, tests).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(TelegramGateway.DEFAULT_API_URL).add()
                .build();
    }
}
