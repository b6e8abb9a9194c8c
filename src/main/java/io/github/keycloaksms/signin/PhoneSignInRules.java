package io.github.keycloaksms.signin;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.config.PhoneSignInSteps;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeStep;

/**
 * What the realm's settings and the step's config allow at one visit ({@link PhoneSignInSteps}'
 * rules at run time); a realm set up wrong is logged once, not at every visit.
 */
final class PhoneSignInRules {

    private static final Logger LOG = Logger.getLogger(PhoneSignInRules.class);
    /** Realm misconfigurations already logged, so that a flood of visitors does not flood the log. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private PhoneSignInRules() {
    }

    /** Verify-only realms keep no numbers to sign in with: the visitor learns that sign-in by phone is unavailable. */
    static boolean canSignIn(CodeStep step) {
        if (PhoneSignInSteps.canSignIn(step.settings())) {
            return true;
        }
        report(step.realm(), "verifyOnly", "SMS settings of realm %s keep only a hash of each number (verifyOnly): "
                + "nobody can sign in with a phone number. Turn verifyOnly off or remove the step.");
        step.unavailable("sms_verify_only", CodeDelivery.SEND_FAILED_ERROR, "smsFlowMisconfigured");
        return false;
    }

    /** Sign-up needs the step's switch, Keycloak's "User registration", and allowed regions. */
    static boolean signUp(AuthenticationFlowContext context, CodeStep step) {
        if (!PhoneSignInSteps.wantsSignUp(context.getAuthenticatorConfig()) || !context.getRealm().isRegistrationAllowed()) {
            return false;
        }
        if (!PhoneSignInSteps.canSignUp(step.settings())) {
            report(context.getRealm(), "allowedRegions", "Phone sign-up in realm %s stays off: it needs allowedRegions in the "
                    + "SMS settings, so that it does not text numbers anywhere in the world.");
            return false;
        }
        return true;
    }

    private static void report(RealmModel realm, String problem, String format) {
        if (REPORTED.add(realm.getId() + ":" + problem)) {
            LOG.errorf(format, realm.getName());
        }
    }
}
