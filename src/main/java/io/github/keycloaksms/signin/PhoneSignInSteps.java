package io.github.keycloaksms.signin;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.SmsSettings;

/**
 * The realm's phone sign-in steps, as far as the SMS settings must suit them: Keycloak gives an
 * authenticator no say when its execution config is saved, so the settings' save checks both.
 */
public final class PhoneSignInSteps {

    private PhoneSignInSteps() {
    }

    /** What the settings must not be while the realm's flows sign in, or sign up, by phone. */
    public static List<InvalidSettingsException.Problem> problems(RealmModel realm, SmsSettings settings) {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        List<AuthenticationExecutionModel> steps = steps(realm).toList();
        if (settings.verifyOnly() && !steps.isEmpty()) {
            problems.add(new InvalidSettingsException.Problem(SmsSettings.VERIFY_ONLY,
                    "a flow signs in with phone numbers, which needs the numbers; remove that step first"));
        }
        if (settings.allowedRegions().isEmpty() && steps.stream().anyMatch(step -> allowsSignUp(realm, step))) {
            problems.add(new InvalidSettingsException.Problem(SmsSettings.ALLOWED_REGIONS,
                    "a flow lets new numbers sign up by phone; name the regions it may text"));
        }
        return problems;
    }

    private static Stream<AuthenticationExecutionModel> steps(RealmModel realm) {
        return realm.getAuthenticationFlowsStream()
                .flatMap(flow -> realm.getAuthenticationExecutionsStream(flow.getId()))
                .filter(step -> SmsPhoneLoginAuthenticatorFactory.PROVIDER_ID.equals(step.getAuthenticator()) && !step.isDisabled());
    }

    private static boolean allowsSignUp(RealmModel realm, AuthenticationExecutionModel step) {
        AuthenticatorConfigModel config = step.getAuthenticatorConfig() == null ? null
                : realm.getAuthenticatorConfigById(step.getAuthenticatorConfig());
        return config != null && config.getConfig() != null
                && Boolean.parseBoolean(config.getConfig().get(SmsPhoneLoginAuthenticatorFactory.ALLOW_SIGN_UP));
    }
}
