package io.github.keycloaksms.delivery;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The {@code sms-gateway-instance} SPI: the realm component type of the realm's named gateways. */
public class GatewayInstanceSpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "sms-gateway-instance";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return GatewayInstance.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return GatewayInstanceFactory.class;
    }
}
