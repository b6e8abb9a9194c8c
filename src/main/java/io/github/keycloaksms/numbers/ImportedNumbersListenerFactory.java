package io.github.keycloaksms.numbers;

import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * Indexes the SMS numbers of users that the admin API or a partial import creates with SMS
 * credentials in their representation (realm imports are handled when the realm is created). A
 * global listener: it needs no realm setting.
 */
public class ImportedNumbersListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "sms-imported-numbers";
    private static final String USERS_PATH = "users/";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
                String path = event.getResourcePath();
                // a partial import's events name the path only, not the resource type
                if (event.getOperationType() == OperationType.CREATE
                        && path != null && path.startsWith(USERS_PATH) && path.indexOf('/', USERS_PATH.length()) < 0) {
                    RealmModel realm = session.realms().getRealm(event.getRealmId());
                    if (realm != null) {
                        ImportedNumbers.checkUser(session, realm, path.substring(USERS_PATH.length()));
                    }
                }
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
