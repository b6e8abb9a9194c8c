package io.github.keycloaksms.gateway;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * The {@code sms-gateway} SPI: third parties add gateways by implementing {@link SmsGatewayFactory}.
 */
@PublicApi(unstable = true)
public class SmsGatewaySpi implements Spi {

    public static final String NAME = "sms-gateway";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return SmsGateway.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return SmsGatewayFactory.class;
    }
}
