package io.github.keycloaksms.gateway.log;


import org.keycloak.Config;
import org.keycloak.common.util.Environment;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;

/**
 * The {@code log} gateway: for {@code kc.sh start-dev} only. In production mode it refuses, at
 * save and at send, unless the operator sets {@code --spi-sms-gateway--log--allow-in-production=true}.
 */
public class LogSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "log";
    public static final String ALLOW_IN_PRODUCTION_OPTION = "allow-in-production";

    private LogSmsGateway gateway = new LogSmsGateway(false);

    @Override
    public void init(Config.Scope config) {
        gateway = new LogSmsGateway(Environment.isDevMode() || config.getBoolean(ALLOW_IN_PRODUCTION_OPTION, false));
    }

    @Override
    public SmsGateway create(KeycloakSession session) {
        return gateway;
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        if (config.selected() && !gateway.enabled()) {
            throw new InvalidSettingsException(GatewayConfig.GATEWAY, LogSmsGateway.DISABLED);
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Server log (development only)";
    }

    @Override
    public String getHelpText() {
        return "Development only: writes each SMS, code included, to the server log and sends nothing.";
    }
}
