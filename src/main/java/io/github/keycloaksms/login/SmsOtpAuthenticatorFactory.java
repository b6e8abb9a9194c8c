package io.github.keycloaksms.login;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.credential.SmsCredentialModel;

/** The {@code sms-otp-form} authenticator; its settings live in the {@code sms-register} required action. */
public class SmsOtpAuthenticatorFactory implements AuthenticatorFactory {

    private static final SmsOtpAuthenticator SINGLETON = new SmsOtpAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return SmsProviderIds.LOGIN_STEP;
    }

    @Override
    public String getDisplayType() {
        return "SMS code";
    }

    @Override
    public String getHelpText() {
        return "Sends a one-time code to the user's enrolled mobile number and checks it. Configure SMS in "
                + "Authentication > Required actions > Enroll SMS number.";
    }

    /**
     * Our own category: the Account Console lists the SMS numbers under "Signing in" and offers an
     * authenticator app only where the realm's flows use one. Brute-force detection still counts
     * wrong codes ({@link BruteForceCount}).
     */
    @Override
    public String getReferenceCategory() {
        return SmsCredentialModel.TYPE;
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
        return true;
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
