package io.github.keycloaksms.login;

import java.util.List;
import java.util.Set;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.credential.SmsCredentialModel;

/** The {@code sms-otp-form} authenticator; its settings live in the {@code sms-register} required action. */
public class SmsOtpAuthenticatorFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "sms-otp-form";
    private static final SmsOtpAuthenticator SINGLETON = new SmsOtpAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
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

    /** Brute-force detection counts only password, otp and recovery-code failures, so we count as otp. */
    @Override
    public String getReferenceCategory() {
        return OTPCredentialModel.TYPE;
    }

    /** Lets the Account Console list SMS numbers under "Signing in". */
    @Override
    public Set<String> getOptionalReferenceCategories(KeycloakSession session) {
        return Set.of(SmsCredentialModel.TYPE);
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
