package io.github.keycloaksms.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.credential.SmsProviderIds;

/**
 * The rules that phone sign-in steps and the SMS settings must keep together: checked when the
 * settings are saved (Keycloak gives an authenticator no say when its execution config is saved)
 * and again by the step at run time.
 */
public final class PhoneSignInSteps {

    private PhoneSignInSteps() {
    }

    /** Phone sign-in looks numbers up, so it needs them kept, not only their hash. */
    public static boolean canSignIn(SmsSettings settings) {
        return !settings.verifyOnly();
    }

    /** Sign-up texts numbers that nobody holds yet, so it needs regions to keep it from texting the world. */
    public static boolean canSignUp(SmsSettings settings) {
        return !settings.allowedRegions().isEmpty();
    }

    /** True when the step's config asks for sign-up. */
    public static boolean wantsSignUp(AuthenticatorConfigModel config) {
        return config != null && config.getConfig() != null
                && Boolean.parseBoolean(config.getConfig().get(SmsProviderIds.ALLOW_SIGN_UP));
    }

    /** What the settings must not be while the realm's flows sign in, or sign up, by phone. */
    public static List<InvalidSettingsException.Problem> problems(RealmModel realm, SmsSettings settings) {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        List<AuthenticationExecutionModel> steps = steps(realm).toList();
        if (!canSignIn(settings) && !steps.isEmpty()) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.VERIFY_ONLY.key(),
                    "a flow signs in with phone numbers, which needs the numbers; remove that step first"));
        }
        if (!canSignUp(settings) && steps.stream().anyMatch(step -> wantsSignUp(config(realm, step)))) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.ALLOWED_REGIONS.key(),
                    "a flow lets new numbers sign up by phone; name the regions it may text"));
        }
        return problems;
    }

    private static Stream<AuthenticationExecutionModel> steps(RealmModel realm) {
        return realm.getAuthenticationFlowsStream()
                .flatMap(flow -> realm.getAuthenticationExecutionsStream(flow.getId()))
                .filter(step -> SmsProviderIds.PHONE_LOGIN_STEP.equals(step.getAuthenticator()) && !step.isDisabled());
    }

    private static AuthenticatorConfigModel config(RealmModel realm, AuthenticationExecutionModel step) {
        return step.getAuthenticatorConfig() == null ? null : realm.getAuthenticatorConfigById(step.getAuthenticatorConfig());
    }
}
