package io.github.keycloaksms.gateway.sns;

import java.net.URI;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.OutboundPolicy;

/**
 * The {@code sns} gateway: AWS SNS {@code Publish} to a phone number. Only the operator can point
 * it elsewhere than AWS's endpoint of the region, with
 * {@code --spi-sms-gateway--sns--endpoint-url} (a VPC endpoint, a local fake), and only the
 * operator can let realms without keys send as the server's own AWS identity, with
 * {@code --spi-sms-gateway--sns--allow-server-credentials=true}: otherwise any realm admin could
 * send SMS with their own text on the operator's account.
 */
public class SnsSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "sns";
    public static final String ENDPOINT_URL_OPTION = OutboundPolicy.ENDPOINT_URL_OPTION;

    private SnsClients clients = new SnsClients(null, false);
    private SmsGateway gateway = new SnsSmsGateway(clients);

    @Override
    public void init(Config.Scope config) {
        String endpoint = config.get(ENDPOINT_URL_OPTION);
        clients = new SnsClients(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.strip()),
                config.getBoolean(SnsClients.SERVER_CREDENTIALS_OPTION, false));
        gateway = new SnsSmsGateway(clients);
    }

    @Override
    public SmsGateway create(KeycloakSession session) {
        return gateway;
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        if (!config.selected()) {
            return;
        }
        try {
            clients.settings(config);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().startsWith(SnsSmsGateway.REGION) ? SnsSmsGateway.REGION : SnsSmsGateway.ACCESS_KEY_ID;
            throw new InvalidSettingsException(key, e.getMessage());
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "AWS SNS";
    }

    @Override
    public String getHelpText() {
        return "Sends through AWS SNS (Publish to a phone number, transactional).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(SnsSmsGateway.REGION).label("AWS SNS region")
                .helpText("SNS gateway: the AWS region that sends the SMS, e.g. us-east-1 or eu-west-1.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SnsSmsGateway.ACCESS_KEY_ID).label("AWS access key id")
                .helpText("SNS gateway: an access key allowed sns:Publish. Empty: the server's own AWS credentials "
                        + "(environment, web identity / IRSA, container or instance role), where the operator allows it.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SnsSmsGateway.SECRET_ACCESS_KEY).label("AWS secret access key")
                .helpText("SNS gateway: the access key's secret. Use ${vault.NAME} to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .build();
    }

    @Override
    public void close() {
        clients.close();
    }
}
