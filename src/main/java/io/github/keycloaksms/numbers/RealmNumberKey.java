package io.github.keycloaksms.numbers;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The realm's 256-bit key for {@link NumberIndex}, kept as a secret in a realm component of our
 * own type ({@link NumberKeyComponent}): the admin API and partial exports mask it, while it stays
 * the same on every node, across restarts and through a full export and import. New realms get it
 * when they are created; a realm that predates the extension gets it on first use, made by one
 * node of the cluster at a time so that two nodes can never each make a different key.
 */
public final class RealmNumberKey {

    static final String COMPONENT_NAME = "sms-number-index-key";
    private static final String PROVIDER_TYPE = NumberKeyComponent.class.getName();
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CREATE_TIMEOUT_SECONDS = 30;

    private RealmNumberKey() {
    }

    public static byte[] get(KeycloakSession session, RealmModel realm) {
        Optional<byte[]> key = settled(realm);
        if (key.isPresent()) {
            return key.get();
        }
        createOnce(session, realm.getId());
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                s -> settled(s.realms().getRealm(realm.getId()))).orElseThrow(() -> new IllegalStateException(
                        "the SMS number index key of realm " + realm.getId() + " is missing after its creation"));
    }

    /**
     * Makes sure the realm has its key in the component. Only for a realm no other node can be
     * changing at the same time: a new one, or under the cluster lock.
     */
    public static void createIfAbsent(RealmModel realm) {
        Optional<ComponentModel> component = realm.getComponentsStream(realm.getId(), PROVIDER_TYPE).findFirst();
        if (component.map(RealmNumberKey::decode).isEmpty()) {
            // absent, or masked by a partial export that was imported
            String key = random();
            ComponentModel model = component.orElseGet(() -> {
                ComponentModel created = new ComponentModel();
                created.setName(COMPONENT_NAME);
                created.setProviderType(PROVIDER_TYPE);
                created.setProviderId(NumberKeyComponentFactory.ID);
                created.setParentId(realm.getId());
                return created;
            });
            model.getConfig().putSingle(NumberKeyComponentFactory.SECRET, key);
            if (component.isPresent()) {
                realm.updateComponent(model);
            } else {
                realm.addComponentModel(model);
            }
        }
    }

    /** The key, unless the realm has none yet. */
    private static Optional<byte[]> settled(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), PROVIDER_TYPE).findFirst().flatMap(RealmNumberKey::decode)
                .map(Base64.getDecoder()::decode);
    }

    private static Optional<String> decode(ComponentModel component) {
        return decode(component.get(NumberKeyComponentFactory.SECRET));
    }

    /** The stored text if it is a key: base64 of 32 bytes (not, for example, a partial export's mask). */
    private static Optional<String> decode(String stored) {
        try {
            return stored != null && Base64.getDecoder().decode(stored).length == KEY_BYTES ? Optional.of(stored) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String random() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void createOnce(KeycloakSession session, String realmId) {
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
    }
}
