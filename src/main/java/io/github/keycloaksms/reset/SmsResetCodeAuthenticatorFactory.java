package io.github.keycloaksms.reset;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.flow.BackgroundSends;

/**
 * The {@code sms-reset-code} authenticator of the reset-credentials flow. Its sends run on a small
 * pool of their own ({@code --spi-authenticator--sms-reset-code--send-threads}, default 2, and
 * {@code --send-queue}, default 500).
 */
public class SmsResetCodeAuthenticatorFactory implements AuthenticatorFactory {


    private BackgroundSends sends;

    @Override
    public Authenticator create(KeycloakSession session) {
        return new SmsResetCodeAuthenticator(sends);
    }

    @Override
    public void init(Config.Scope config) {
        sends = BackgroundSends.configured(config, 2, 500);
    }

    @Override
    public String getId() {
        return SmsProviderIds.RESET_STEP;
    }

    @Override
    public String getDisplayType() {
        return "Reset by SMS code";
    }

    @Override
    public String getHelpText() {
        return "In the reset-credentials flow, after 'Choose User': sends a code to the account's mobile number and goes on "
                + "(to 'Reset Password') only after the right code. Every account name gets the same page, so it does not "
                + "tell which accounts exist or have a number.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENT_CHOICES;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
        sends.shutdown();
    }
}
