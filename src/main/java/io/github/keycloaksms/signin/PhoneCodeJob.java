package io.github.keycloaksms.signin;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.login.BruteForceCount;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.EnrolledNumbers;

/**
 * What happens to a number typed at phone sign-in after the visitor has their page: finds who
 * holds the number and sends the code only where it may go (an enabled, unlocked user; with
 * sign-up, also a number nobody holds). Runs in a transaction of its own, off the request's
 * clock, so the visitor's response time says nothing about the number.
 *
 * @param message the SMS with the code, rendered in the visitor's language, addressed to nobody yet
 * @param numberIndex the number's blind index
 */
record PhoneCodeJob(KeycloakSessionFactory sessions, String realmId, String clientId, String remoteAddress,
                    SmsSettings settings, SmsMessage message, String numberIndex, boolean signUp) implements Runnable {

    static final String NUMBER_DETAIL = "sms_phone";
    private static final Logger LOG = Logger.getLogger(PhoneCodeJob.class);

    @Override
    public void run() {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, this::run);
        } catch (RuntimeException e) {
            LOG.errorf("Phone sign-in code for %s in realm %s not handled: %s: %s", message.to().masked(), realmId,
                    e.getClass().getName(), message.excerpt(String.valueOf(e.getMessage())));
        }
    }

    private void run(KeycloakSession session) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        EventBuilder event = new EventBuilder(realm, session, connection()).event(EventType.LOGIN).client(clientId)
                .detail(NUMBER_DETAIL, message.to().masked());
        SmsCredentialProvider credentials =
                (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
        List<UserModel> holders = new EnrolledNumbers(session, realm, credentials).signInHolders(numberIndex);
        if (holders.size() > 1) {
            LOG.warnf("Phone sign-in in realm %s: %s is enrolled by several users, so it signs in none of them "
                    + "(turn on uniqueNumbers)", realm.getName(), message.to().masked());
            skip(event, "sms_number_ambiguous", "ambiguous");
        } else if (holders.isEmpty()) {
            if (signUp) {
                send(session, realm, message, "a sign-up", event, "sign_up_code_sent");
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
                send(session, realm, message.withUser(CodeDelivery.recipient(user)), "user " + user.getId(), event, "code_sent");
            }
        }
    }

    private void send(KeycloakSession session, RealmModel realm, SmsMessage addressed, String whom, EventBuilder event, String outcome) {
        if (CodeDelivery.deliver(session, realm, settings, addressed, whom, event).isEmpty()) {
            SmsMetrics.phoneSignIn(outcome);
        }
    }

    /** No SMS: the admin learns why, the visitor nothing. */
    private static void skip(EventBuilder event, String error, String outcome) {
        SmsMetrics.phoneSignIn(outcome);
        event.error(error);
    }

    private ClientConnection connection() {
        return new ClientConnection() {
            @Override
            public String getRemoteAddr() {
                return remoteAddress;
            }

            @Override
            public String getRemoteHost() {
                return remoteAddress;
            }
        };
    }
}
