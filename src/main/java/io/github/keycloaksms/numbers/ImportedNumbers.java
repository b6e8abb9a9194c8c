package io.github.keycloaksms.numbers;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Numbers that came in through an import as {@code {"phone": "+49..."}} credential data: Keycloak
 * stores imported credentials without asking their provider, so they have no index. This gives
 * each its normalised number and index, and reports, without dropping anything, a number that
 * cannot be read or that another user holds while {@code uniqueNumbers} is on. A realm export
 * written by Keycloak carries the indexes already and needs none of this.
 */
public final class ImportedNumbers {

    private static final Logger LOG = Logger.getLogger(ImportedNumbers.class);

    private ImportedNumbers() {
    }

    /** Indexes every imported number of a realm just imported. */
    public static void indexRealm(KeycloakSession session, RealmModel realm) {
        List<String> userIds = session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"))
                .map(user -> user.getId()).toList();
        int indexed = 0;
        for (String userId : userIds) {
            indexed += indexUser(session, realm, userId);
        }
        if (indexed > 0) {
            LOG.infof("Indexed %d imported SMS numbers in realm %s", indexed, realm.getName());
        }
    }

    /** Indexes the imported numbers of one user, e.g. one just created by the admin API or a partial import; gives how many. */
    public static int indexUser(KeycloakSession session, RealmModel realm, String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            return 0;
        }
        SmsCredentialProvider credentials =
                SmsCredentialProvider.of(session);
        List<SmsCredentialModel> unindexed = credentials.storedCredentials(user).filter(SmsCredentialModel::lacksIndex).toList();
        if (unindexed.isEmpty()) {
            return 0;
        }
        EnrolledNumbers numbers = new EnrolledNumbers(session, realm, credentials);
        boolean unique = uniqueNumbers(session, realm);
        int indexed = 0;
        for (SmsCredentialModel number : unindexed) {
            indexed += index(session, realm, user, number, numbers, unique) ? 1 : 0;
        }
        return indexed;
    }

    private static boolean index(KeycloakSession session, RealmModel realm, UserModel user, SmsCredentialModel number,
                                 EnrolledNumbers numbers, boolean unique) {
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(number.storedPhone(), null, Set.of());
        } catch (PhoneNumberException e) {
            LOG.warnf("Imported SMS credential %s of user %s in realm %s holds no usable number (%s): it receives no codes; "
                    + "replace it", number.getId(), user.getId(), realm.getName(), e.messageKey());
            return false;
        }
        String index = NumberIndex.of(RealmNumberKey.get(session, realm), phone);
        if (unique && numbers.heldByAnother(user, index)) {
            LOG.warnf("Imported SMS number %s of user %s in realm %s is held by another user too, while uniqueNumbers is on: "
                    + "neither signs in with it by phone until one of them is removed", phone.masked(), user.getId(), realm.getName());
        }
        user.credentialManager().updateStoredCredential(number.indexed(phone, index));
        numbers.remember(user, index);
        return true;
    }

    private static boolean uniqueNumbers(KeycloakSession session, RealmModel realm) {
        try {
            return RealmSmsSettings.load(session, realm).uniqueNumbers();
        } catch (InvalidSettingsException e) {
            return true;
        }
    }
}
