package io.github.keycloaksms.enrollment;

import org.keycloak.Config;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.flow.NumberNotice;
import io.github.keycloaksms.credential.SmsCredentialModel;

/**
 * Sends the "number removed" notice. Keycloak removes credentials without asking their provider,
 * so the notice follows its {@code REMOVE_CREDENTIAL} event (Account Console, delete action). A
 * global listener: it works without being added to each realm's event listeners.
 */
public class NumberRemovedListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "sms-number-removed-notice";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                if (event.getType() == EventType.REMOVE_CREDENTIAL && event.getDetails() != null
                        && SmsCredentialModel.TYPE.equals(event.getDetails().get(Details.CREDENTIAL_TYPE))) {
                    RealmModel realm = session.realms().getRealm(event.getRealmId());
                    UserModel user = realm == null ? null : session.users().getUserById(realm, event.getUserId());
                    if (user != null) {
                        NumberNotice.REMOVED.send(session, realm, user,
                                String.valueOf(event.getDetails().get(Details.CREDENTIAL_USER_LABEL)));
                    }
                }
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
