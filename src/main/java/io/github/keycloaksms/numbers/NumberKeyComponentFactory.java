package io.github.keycloaksms.numbers;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.component.ComponentFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Declares the key as a secret property, which is what makes Keycloak mask it. */
public class NumberKeyComponentFactory implements ComponentFactory<NumberKeyComponent, NumberKeyComponent> {

    public static final String ID = "hmac-sha256-number-index";
    static final String SECRET = "secret";

    private static final NumberKeyComponent COMPONENT = new NumberKeyComponent() { };

    @Override
    public NumberKeyComponent create(KeycloakSession session, ComponentModel model) {
        return COMPONENT;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "The realm's key for the blind index of SMS numbers. Deleting it makes every enrolled number unknown to "
                + "the uniqueness check.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(SECRET).label("Key").type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .build();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
