package io.github.keycloaksms.login;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.flow.SmsStepFactory;

/** The {@code sms-otp-form} authenticator; its settings live in the {@code sms-register} required action. */
public class SmsOtpAuthenticatorFactory extends SmsStepFactory {

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

    @Override
    public boolean isUserSetupAllowed() {
        return true;
    }
}
