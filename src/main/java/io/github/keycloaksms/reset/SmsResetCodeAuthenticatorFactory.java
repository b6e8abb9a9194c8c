package io.github.keycloaksms.reset;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.flow.SmsStepFactory;

/**
 * The {@code sms-reset-code} authenticator of the reset-credentials flow. Its sends run on a small
 * pool of their own ({@code --spi-authenticator--sms-reset-code--send-threads}, default 2, and
 * {@code --send-queue}, default 500).
 */
public class SmsResetCodeAuthenticatorFactory extends SmsStepFactory {

    public SmsResetCodeAuthenticatorFactory() {
        super(2, 500);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new SmsResetCodeAuthenticator(sends());
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
}
