package io.github.keycloaksms.numbers;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/** The {@code sms-number-key} SPI: the realm component type that stores the number index key. */
public class NumberKeySpi implements Spi {

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return "sms-number-key";
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return NumberKeyComponent.class;
    }

    @Override
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return NumberKeyComponentFactory.class;
    }
}
