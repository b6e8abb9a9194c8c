package io.github.keycloaksms.signin;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.flow.PumpingPauses;
import io.github.keycloaksms.gateway.SmsMessage;
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
                deliver(session, realm, null, event);
            } else {
                skip(event, Errors.USER_NOT_FOUND, "unknown_number");
            }
        } else {
            UserModel user = holders.get(0);
            event.user(user);
            Optional<CodeStep.Refusal> refusal = CodeStep.refusal(session, realm, user);
            if (refusal.isPresent()) {
                skip(event, refusal.get().error(), refusal.get().outcome());
            } else {
                deliver(session, realm, user, event);
            }
        }
    }

    /** @param user the holder; null for a sign-up */
    private void deliver(KeycloakSession session, RealmModel realm, UserModel user, EventBuilder event) {
        if (settings.testCode(message.to()).isPresent()) {
            // its holder signs in with the fixed code; nobody else may sign up with it
            SmsMetrics.testNumber(user == null ? "not_held" : "fixed_code");
            event.detail(Details.REASON, user == null ? "not_held" : "held").error(CodeStep.TEST_NUMBER_ERROR);
            return;
        }
        PumpingPauses pauses = new PumpingPauses(session, realm, settings);
        if (pauses.holds(message.to(), event)) {
            skip(event.detail(Details.REASON, PumpingPauses.SEND_REFUSED_REASON), CodeDelivery.SEND_LIMITED_ERROR, "paused");
            return;
        }
        CodeDelivery delivery = new CodeDelivery(session, realm, settings, visit::publicBase);
        SmsMessage addressed = user == null ? message : message.but().user(delivery.recipient(user)).build();
        String whom = user == null ? "a sign-up" : "user " + user.getId();
        if (delivery.deliverInOrder(delivery.messageOrder(), channel -> addressed.but().channel(channel.id()).build(), whom, event).sent()) {
            pauses.sent(message.to());
            SmsMetrics.phoneSignIn(user == null ? "sign_up_code_sent" : "code_sent");
        }
    }

    /** Who may sign in with the number (see {@link EnrolledNumbers#signInHolders}). */
    static List<UserModel> holders(KeycloakSession session, RealmModel realm, String numberIndex) {
        return new EnrolledNumbers(session, realm, SmsCredentialProvider.of(session)).signInHolders(numberIndex);
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
