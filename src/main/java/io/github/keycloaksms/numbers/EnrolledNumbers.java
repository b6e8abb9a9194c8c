package io.github.keycloaksms.numbers;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.credential.SmsCredentialProvider;

/**
 * Which user holds a number. Each enrolled number's index is also a user attribute, which Keycloak
 * indexes, so the lookup does not scan users. The attribute may outlive a credential removed in the
 * Account Console; the credential decides, so such a leftover does not block anyone.
 */
public final class EnrolledNumbers {

    public static final String USER_ATTRIBUTE = "smsNumberIndex";

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
        return session.users().searchForUserByUserAttributeStream(realm, USER_ATTRIBUTE, index)
                .filter(other -> !other.getId().equals(user.getId()))
                .anyMatch(other -> holds(other, index));
    }

    public boolean holds(UserModel user, String index) {
        return credentials.storedCredentials(user).anyMatch(c -> index.equals(c.phoneIndex()));
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
