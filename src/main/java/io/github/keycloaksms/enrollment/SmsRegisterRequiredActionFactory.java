package io.github.keycloaksms.enrollment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Environment;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.utils.KeycloakSessionUtil;
import org.keycloak.validate.ValidationError;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.config.TestNumbers;
import io.github.keycloaksms.config.SmsSettingsProperties;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.delivery.GatewaySettingsCheck;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.numbers.ImportedNumbers;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.config.PhoneSignInSteps;

/**
 * The {@code sms-register} required action. Its configuration holds the realm's SMS settings,
 * which the login authenticator reads as well.
 */
public class SmsRegisterRequiredActionFactory implements RequiredActionFactory {


    private KeycloakSessionFactory sessionFactory;

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new SmsRegisterRequiredAction(
                SmsCredentialProvider.of(session));
    }

    @Override
    public String getId() {
        return SmsProviderIds.REQUIRED_ACTION;
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
        properties.addAll(SmsSettingsProperties.all(
                GatewaySettingsCheck.choices(sessionFactory, administeredRealm()), gatewayProperties()));
        return properties;
    }

    /** Refuses every bad value at once, whichever gateway is selected, naming each field by its label. */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        RequiredActionFactory.super.validateConfig(session, realm, model);
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        SmsSettings settings = SmsSettings.parse(model.getConfig() == null ? Map.of() : model.getConfig(), problems);
        problems.addAll(GatewaySettingsCheck.problems(session, realm, settings));
        if (settings.voiceEnabled() && settings.get(SmsSettings.FROM) != null && !settings.get(SmsSettings.FROM).startsWith("+")) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.FROM.key(), "calls need a phone number in E.164 form as sender"));
        }
        problems.addAll(PhoneSignInSteps.problems(realm, settings));
        problems.addAll(TestNumbers.problems(settings));
        if (!problems.isEmpty()) {
            throw new ValidationException(new ValidationError(SmsProviderIds.REQUIRED_ACTION, problems.get(0).key(), SmsSettingsProperties.describe(problems, getConfigMetadata())));
        }
    }

    private List<ProviderConfigProperty> gatewayProperties() {
        return sessionFactory.getProviderFactoriesStream(SmsGateway.class)
                .flatMap(factory -> ((SmsGatewayFactory) factory).getConfigProperties().stream()).toList();
    }

    /** The realm whose settings the admin console asks for, so the gateway lists offer its named gateways; null elsewhere. */
    private static RealmModel administeredRealm() {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        return session == null ? null : session.getContext().getRealm();
    }

    @Override
    public void init(Config.Scope config) {
        TestNumbers.allow(Environment.isDevMode() || config.getBoolean(TestNumbers.ALLOW_OPTION, false));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, TestNumbers::report);
            } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
                RealmNumberKey.createIfAbsent(created.getCreatedRealm());
                ImportedNumbers.checkRealm(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }

    @Override
    public void close() {
    }
}
