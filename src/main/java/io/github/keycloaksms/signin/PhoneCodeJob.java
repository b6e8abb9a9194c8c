package io.github.keycloaksms.signin;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import org.keycloak.credential.CredentialProvider;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.login.BruteForceCount;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.EnrolledNumbers;

/**
 * What happens to a number typed at phone sign-in after the visitor has their page: sends the
 * code only where it may go (an enabled, unlocked user who holds the number; with sign-up, also a
 * number nobody holds).
 *
 * @param message     the SMS with the code, rendered in the visitor's language, addressed to nobody yet
 * @param numberIndex the number's blind index
 */
record PhoneCodeJob(AfterResponse visit, SmsSettings settings, SmsMessage message, String numberIndex, boolean signUp)
        implements Runnable {

    private static final Logger LOG = Logger.getLogger(PhoneCodeJob.class);

    @Override
    public void run() {
        visit.run("the code", this::send);
    }

    private void send(KeycloakSession session, RealmModel realm) {
        EventBuilder event = visit.event(session, realm);
        List<UserModel> holders = holders(session, realm, numberIndex);
        if (holders.size() > 1) {
            LOG.warnf("Phone sign-in in realm %s: %s is enrolled by several users, so it signs in none of them "
                    + "(turn on uniqueNumbers)", realm.getName(), visit.maskedNumber());
            skip(event, "sms_number_ambiguous", "ambiguous");
        } else if (holders.isEmpty()) {
            if (signUp) {
                deliver(session, realm, message, "a sign-up", event, "sign_up_code_sent");
            } else {
                skip(event, Errors.USER_NOT_FOUND, "unknown_number");
            }
        } else {
            UserModel user = holders.get(0);
            event.user(user);
            if (!user.isEnabled()) {
                skip(event, Errors.USER_DISABLED, "user_disabled");
            } else if (BruteForceCount.isLockedOut(session, realm, user)) {
                skip(event, Errors.USER_TEMPORARILY_DISABLED, "user_locked");
            } else {
                deliver(session, realm, message.withUser(CodeDelivery.recipient(user)), "user " + user.getId(), event, "code_sent");
            }
        }
    }

    private void deliver(KeycloakSession session, RealmModel realm, SmsMessage addressed, String whom, EventBuilder event, String outcome) {
        if (CodeDelivery.deliver(session, realm, settings, addressed, whom, event).isEmpty()) {
            SmsMetrics.phoneSignIn(outcome);
        }
    }

    /** Who may sign in with the number (see {@link EnrolledNumbers#signInHolders}). */
    static List<UserModel> holders(KeycloakSession session, RealmModel realm, String numberIndex) {
        SmsCredentialProvider credentials =
                (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
        return new EnrolledNumbers(session, realm, credentials).signInHolders(numberIndex);
    }

    /** The one user who may sign in with the number; nobody when none or several hold it. */
    static Optional<UserModel> soleHolder(KeycloakSession session, RealmModel realm, String numberIndex) {
        List<UserModel> holders = holders(session, realm, numberIndex);
        return holders.size() == 1 ? Optional.of(holders.get(0)) : Optional.empty();
    }

    /** No SMS: the admin learns why, the visitor nothing. */
    private static void skip(EventBuilder event, String error, String outcome) {
        SmsMetrics.phoneSignIn(outcome);
        event.error(error);
    }
}
