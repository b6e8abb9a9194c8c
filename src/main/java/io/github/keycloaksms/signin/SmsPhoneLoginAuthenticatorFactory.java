package io.github.keycloaksms.signin;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.flow.SmsStepFactory;

/**
 * The {@code sms-phone-login} authenticator. Its sends run on a small pool of its own, sized by
 * the operator options {@code --spi-authenticator--sms-phone-login--send-threads} (default 4)
 * and {@code --spi-authenticator--sms-phone-login--send-queue} (default 1000).
 */
public class SmsPhoneLoginAuthenticatorFactory extends SmsStepFactory {

    public SmsPhoneLoginAuthenticatorFactory() {
        super(4, 1000);
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new SmsPhoneLoginAuthenticator(sends());
    }

    @Override
    public String getId() {
        return SmsProviderIds.PHONE_LOGIN_STEP;
    }

    @Override
    public String getDisplayType() {
        return "Phone number and SMS code";
    }

    @Override
    public String getHelpText() {
        return "Signs the user in with a mobile number and a code sent to it, as the first step of a flow. Unknown "
                + "numbers get the same pages as known ones (no SMS), so the step does not tell which numbers have "
                + "accounts. Uses the realm's SMS settings (Authentication > Required actions > Enroll SMS number).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(SmsProviderIds.ALLOW_SIGN_UP).label("Allow sign-up")
                .helpText("Also create an account for a proved number that has none (username: the number), then ask for "
                        + "the profile. Needs 'User registration' on in the realm and 'Allowed regions' in the SMS settings; "
                        + "without them the step only signs in.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .build();
    }
}
