package io.github.keycloaksms.gateway.log;

import org.keycloak.models.KeycloakSession;

import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;

public class LogSmsGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "log";
    private static final LogSmsGateway GATEWAY = new LogSmsGateway();

    @Override
    public SmsGateway create(KeycloakSession session) {
        return GATEWAY;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Development only: writes each SMS, code included, to the server log and sends nothing.";
    }
}
