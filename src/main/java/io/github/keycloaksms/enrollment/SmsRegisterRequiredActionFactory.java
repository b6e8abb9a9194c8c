package io.github.keycloaksms.enrollment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.config.SmsSettingsProperties;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.numbers.RealmNumberKey;

/**
 * The {@code sms-register} required action. Its configuration holds the realm's SMS settings,
 * which the login authenticator reads as well.
 */
public class SmsRegisterRequiredActionFactory implements RequiredActionFactory {

    public static final String PROVIDER_ID = "sms-register";

    private KeycloakSessionFactory sessionFactory;

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new SmsRegisterRequiredAction(
                (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "Enroll SMS number";
    }

    @Override
    public boolean isOneTimeAction() {
        return true;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        List<ProviderConfigProperty> properties = new ArrayList<>(MAX_AUTH_AGE_CONFIG_PROPERTIES);
        properties.addAll(SmsSettingsProperties.all(gatewayIds(), gatewayProperties()));
        return properties;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        RequiredActionFactory.super.validateConfig(session, realm, model);
        Map<String, String> config = model.getConfig() == null ? Map.of() : model.getConfig();
        try {
            SmsSettings settings = SmsSettings.parse(config);
            requireInstalled(SmsSettings.GATEWAY, settings.gateway());
            requireInstalled(SmsSettings.FALLBACK_GATEWAY, settings.fallbackGateway());
            if (settings.fallbackGateway() != null && settings.fallbackGateway().equals(settings.gateway())) {
                throw invalid(SmsSettings.FALLBACK_GATEWAY, "must differ from the SMS gateway");
            }
            for (String id : new String[] {settings.gateway(), settings.fallbackGateway()}) {
                if (id != null) {
                    gatewayFactory(id).validate(settings);
                }
            }
        } catch (InvalidSettingsException e) {
            InvalidSettingsException.Problem first = e.problems().get(0);
            throw new ValidationException(new ValidationError(PROVIDER_ID, first.key(), first.key() + ": " + first.message()));
        }
    }

    private void requireInstalled(String key, String gatewayId) throws InvalidSettingsException {
        if (gatewayId != null && gatewayFactory(gatewayId) == null) {
            throw invalid(key, "no SMS gateway '" + gatewayId + "' is installed; installed: " + String.join(", ", gatewayIds()));
        }
    }

    private static InvalidSettingsException invalid(String key, String message) {
        return new InvalidSettingsException(List.of(new InvalidSettingsException.Problem(key, message)));
    }

    private SmsGatewayFactory gatewayFactory(String id) {
        return (SmsGatewayFactory) sessionFactory.getProviderFactory(SmsGateway.class, id);
    }

    private List<String> gatewayIds() {
        return gatewayFactories().stream().map(SmsGatewayFactory::getId).sorted().toList();
    }

    private List<ProviderConfigProperty> gatewayProperties() {
        return gatewayFactories().stream().flatMap(f -> f.getConfigProperties().stream()).toList();
    }

    private List<SmsGatewayFactory> gatewayFactories() {
        return sessionFactory.getProviderFactoriesStream(SmsGateway.class).map(SmsGatewayFactory.class::cast).toList();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                RealmNumberKey.createIfAbsent(created.getCreatedRealm());
            } else if (event instanceof PostMigrationEvent) {
                RealmNumberKey.migrateLegacyKeys(factory);
            }
        });
    }

    @Override
    public void close() {
    }
}
