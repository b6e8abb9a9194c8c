package io.github.keycloaksms.flow;

import java.net.URI;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaksms.delivery.GatewayRouter;

/**
 * What a request that must not tell whose number (or account) it is about leaves for after its
 * response: whatever depends on who that is runs in a {@link BackgroundSends} job, in a
 * transaction of its own, so that the visitor's response time says nothing about it.
 *
 * @param remoteAddress the visitor's address, for events and brute-force detection
 * @param maskedNumber  what events may show of the number or account: a masked number, or nothing
 * @param publicBase    the base URL the visitor reached Keycloak at, which a job has no request to read from
 */
public record AfterResponse(KeycloakSessionFactory sessions, String realmId, String clientId, String remoteAddress,
                            EventType eventType, String maskedNumber, URI publicBase) {

    public static final String NUMBER_DETAIL = GatewayRouter.NUMBER_DETAIL;
    private static final Logger LOG = Logger.getLogger(AfterResponse.class);

    /** Runs {@code work} with the realm; a failure is logged, never thrown at a thread that does not expect it. */
    public void run(String what, BiConsumer<KeycloakSession, RealmModel> work) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm != null) {
                    session.getContext().setRealm(realm);
                    work.accept(session, realm);
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf("SMS step in realm %s: %s for %s failed: %s", realmId, what, maskedNumber, e.getClass().getName());
        }
    }

    /** An event of the visitor's, for the admin. */
    public EventBuilder event(KeycloakSession session, RealmModel realm) {
        EventBuilder event = new EventBuilder(realm, session, connection()).event(eventType).client(clientId);
        return maskedNumber == null ? event : event.detail(NUMBER_DETAIL, maskedNumber);
    }

    public ClientConnection connection() {
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
