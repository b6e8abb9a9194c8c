package io.github.keycloaksms.numbers;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The realm's 256-bit key for {@link NumberIndex}, kept as a realm attribute so it is the same on
 * every node, survives restarts and travels with realm exports. New realms get it when they are
 * created; a realm that predates the extension gets it on first use, made by one node of the
 * cluster at a time so that two nodes can never each make a different key.
 */
public final class RealmNumberKey {

    static final String ATTRIBUTE = "smsNumberIndexKey";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CREATE_TIMEOUT_SECONDS = 30;

    private RealmNumberKey() {
    }

    public static byte[] get(KeycloakSession session, RealmModel realm) {
        String stored = realm.getAttribute(ATTRIBUTE);
        if (isBlank(stored)) {
            stored = createOnce(session, realm.getId());
        }
        return Base64.getDecoder().decode(stored);
    }

    /** For a realm being created, which no other node can see yet. */
    public static void createIfAbsent(RealmModel realm) {
        if (isBlank(realm.getAttribute(ATTRIBUTE))) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            realm.setAttribute(ATTRIBUTE, Base64.getEncoder().encodeToString(key));
        }
    }

    private static String createOnce(KeycloakSession session, String realmId) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String failure = "the SMS number index key of realm " + realmId + " could not be created";
        try {
            // every caller, on any node, waits for the one run; that run commits before the others read
            boolean created = session.getProvider(ClusterProvider.class).executeIfNotExecutedAsync(
                    "sms-number-index-key::" + realmId, CREATE_TIMEOUT_SECONDS,
                    () -> {
                        KeycloakModelUtils.runJobInTransaction(factory, s -> createIfAbsent(s.realms().getRealm(realmId)));
                        return null;
                    }).get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!created) {
                throw new IllegalStateException(failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(failure, e);
        }
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> s.realms().getRealm(realmId).getAttribute(ATTRIBUTE));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
