package io.github.keycloaksms.signin;

import java.util.List;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.numbers.EnrolledNumbers;

/**
 * What a phone sign-in request leaves for after its response: whatever depends on who holds the
 * number runs here, in a transaction of its own, so that the visitor's response time says
 * nothing about the number.
 *
 * @param remoteAddress the visitor's address, for events and brute-force detection
 * @param maskedNumber  the number as events may show it
 */
record AfterResponse(KeycloakSessionFactory sessions, String realmId, String clientId, String remoteAddress, String maskedNumber) {

    static final String NUMBER_DETAIL = "sms_phone";
    private static final Logger LOG = Logger.getLogger(AfterResponse.class);

    /** Runs {@code work} with the realm; a failure is logged, never thrown at a thread that does not expect it. */
    void run(String what, BiConsumer<KeycloakSession, RealmModel> work) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm != null) {
                    session.getContext().setRealm(realm);
                    work.accept(session, realm);
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf("Phone sign-in in realm %s: %s for %s failed: %s", realmId, what, maskedNumber, e.getClass().getName());
        }
    }

    /** A login event of the visitor's, for the admin. */
    EventBuilder event(KeycloakSession session, RealmModel realm) {
        return new EventBuilder(realm, session, connection()).event(EventType.LOGIN).client(clientId).detail(NUMBER_DETAIL, maskedNumber);
    }

    /** Who may sign in with the number (see {@link EnrolledNumbers#signInHolders}). */
    static List<UserModel> holders(KeycloakSession session, RealmModel realm, String numberIndex) {
        SmsCredentialProvider credentials =
                (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
        return new EnrolledNumbers(session, realm, credentials).signInHolders(numberIndex);
    }

    ClientConnection connection() {
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
