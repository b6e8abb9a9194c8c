package io.github.keycloaksms.numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Which user holds a number. Each enrolled number's index is also a user attribute, which Keycloak
 * indexes, so the lookup does not scan users. The attribute may outlive a credential removed in the
 * Account Console; the credential decides, so such a leftover does not block anyone.
 */
public final class EnrolledNumbers {

    public static final String USER_ATTRIBUTE = "smsNumberIndex";
    /** Longer than any enrollment's transaction takes to commit; released at its end anyway. */
    private static final long RESERVATION_SECONDS = 30;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final SmsCredentialProvider credentials;

    public EnrolledNumbers(KeycloakSession session, RealmModel realm, SmsCredentialProvider credentials) {
        this.session = session;
        this.realm = realm;
        this.credentials = credentials;
    }

    /** True when a user other than {@code user} has enrolled the number with this index. */
    public boolean heldByAnother(UserModel user, String index) {
        return holders(index).anyMatch(other -> !other.getId().equals(user.getId()));
    }

    /** True when any user has enrolled the number with this index, verify-only or not. */
    public boolean heldByAnyone(String index) {
        return holders(index).findAny().isPresent();
    }

    private Stream<UserModel> holders(String index) {
        return session.users().searchForUserByUserAttributeStream(realm, USER_ATTRIBUTE, index).filter(user -> holds(user, index));
    }

    /**
     * The users who may sign in with the number: they hold it as a credential login codes can be
     * sent to (proved, not verify-only). At most two are read: more than one means nobody may.
     */
    public List<UserModel> signInHolders(String index) {
        return session.users().searchForUserByUserAttributeStream(realm, USER_ATTRIBUTE, index)
                .filter(user -> credentials.storedCredentials(user).anyMatch(c -> index.equals(c.phoneIndex()) && c.receivesLoginCodes()))
                .limit(2)
                .toList();
    }

    public boolean holds(UserModel user, String index) {
        return held(user, index).isPresent();
    }

    /** The user's credential for the number with this index, pending or proved. */
    public Optional<SmsCredentialModel> held(UserModel user, String index) {
        return credentials.storedCredentials(user).filter(c -> index.equals(c.phoneIndex())).findFirst();
    }

    /**
     * Reserves the number, cluster-wide, until this request's transaction has ended: of two
     * accounts that prove the same number at the same moment, only one gets the reservation, and
     * the other then finds the number held.
     */
    public boolean reserve(String index) {
        String key = "sms-number-reservation:" + realm.getId() + ":" + index;
        if (!session.singleUseObjects().putIfAbsent(key, RESERVATION_SECONDS)) {
            return false;
        }
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                session.singleUseObjects().remove(key);
            }

            @Override
            protected void rollbackImpl() {
                session.singleUseObjects().remove(key);
            }
        });
        return true;
    }

    /**
     * Stores a proved number for the user: a new credential, or their pending one confirmed; pending
     * numbers it replaces go.
     *
     * @param keepsNumber false in verify-only realms, where only the index is kept
     * @return true when the user did not hold the number proved before
     */
    public boolean store(UserModel user, PhoneNumber phone, String index, boolean keepsNumber, String label) {
        Optional<SmsCredentialModel> held = held(user, index);
        if (held.isEmpty()) {
            credentials.createCredential(realm, user, SmsCredentialModel.create(phone, index, keepsNumber, label));
        } else if (held.get().isPending()) {
            user.credentialManager().updateStoredCredential(held.get().confirmed(keepsNumber));
        }
        credentials.storedCredentials(user).filter(number -> number.isPending() && !index.equals(number.phoneIndex()))
                .toList().forEach(number -> credentials.deleteCredential(realm, user, number.getId()));
        remember(user, index);
        return held.isEmpty() || held.get().isPending();
    }

    /** Records the index on the user, dropping leftovers of numbers the user no longer holds. */
    public void remember(UserModel user, String index) {
        List<String> kept = new ArrayList<>(user.getAttributeStream(USER_ATTRIBUTE)
                .filter(value -> holds(user, value)).toList());
        if (!kept.contains(index)) {
            kept.add(index);
        }
        user.setAttribute(USER_ATTRIBUTE, kept);
    }
}
