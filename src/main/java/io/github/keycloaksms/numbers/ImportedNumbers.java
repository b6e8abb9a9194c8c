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
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Numbers that came in from outside: a realm import, a partial import, a user the admin API
 * created with SMS credentials in their representation. Keycloak stores such credentials without
 * asking their provider, so each is checked here as a number typed at enrollment is: normalised,
 * a mobile (or a landline while calls are on), in an allowed region, not held by another user
 * while {@code uniqueNumbers} is on; its index is computed here, whatever the credential carries.
 * A number that fails keeps its data, for the admin to see and replace, but loses its index: it
 * receives no codes and cannot be confirmed. Each is reported in the log.
 */
public final class ImportedNumbers {

    private static final Logger LOG = Logger.getLogger(ImportedNumbers.class);

    /** What a number from outside must pass: the realm's regions, calls and uniqueness, or the strictest when its settings are broken. */
    private record Checks(Set<String> allowedRegions, boolean landlines, boolean unique) {

        static Checks of(KeycloakSession session, RealmModel realm) {
            try {
                SmsSettings settings = RealmSmsSettings.load(session, realm);
                return new Checks(settings.allowedRegions(), settings.voiceEnabled(), settings.uniqueNumbers());
            } catch (InvalidSettingsException e) {
                return new Checks(Set.of(), false, true);
            }
        }
    }

    private ImportedNumbers() {
    }

    /** Checks every number of a realm just imported. */
    public static void checkRealm(KeycloakSession session, RealmModel realm) {
        List<String> userIds = session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"))
                .map(user -> user.getId()).toList();
        int accepted = 0;
        for (String userId : userIds) {
            accepted += checkUser(session, realm, userId);
        }
        if (accepted > 0) {
            LOG.infof("Checked and indexed %d imported SMS numbers in realm %s", accepted, realm.getName());
        }
    }

    /** Checks the numbers of one user just created by the admin API or a partial import; gives how many passed. */
    public static int checkUser(KeycloakSession session, RealmModel realm, String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            return 0;
        }
        SmsCredentialProvider credentials = SmsCredentialProvider.of(session);
        // a credential without a number (verify-only) receives nothing and has nothing to check
        List<SmsCredentialModel> imported = credentials.storedCredentials(user).filter(number -> number.storedPhone() != null).toList();
        if (imported.isEmpty()) {
            return 0;
        }
        EnrolledNumbers numbers = new EnrolledNumbers(session, realm, credentials);
        Checks checks = Checks.of(session, realm);
        int accepted = 0;
        for (SmsCredentialModel number : imported) {
            accepted += check(session, realm, user, number, numbers, checks) ? 1 : 0;
        }
        return accepted;
    }

    private static boolean check(KeycloakSession session, RealmModel realm, UserModel user, SmsCredentialModel number,
                                 EnrolledNumbers numbers, Checks checks) {
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(number.storedPhone(), null, checks.allowedRegions(), checks.landlines());
        } catch (PhoneNumberException e) {
            LOG.warnf("Imported SMS credential %s of user %s in realm %s holds no number codes may go to (%s): it receives "
                    + "none; replace it", number.getId(), user.getId(), realm.getName(), e.messageKey());
            user.credentialManager().updateStoredCredential(number.refused());
            return false;
        }
        String index = NumberIndex.of(RealmNumberKey.get(session, realm), phone);
        if (checks.unique() && numbers.heldByAnother(user, index)) {
            LOG.warnf("Imported SMS number %s of user %s in realm %s is held by another user too, while uniqueNumbers is on: "
                    + "it receives no codes; remove it or the other user's", phone.masked(), user.getId(), realm.getName());
            user.credentialManager().updateStoredCredential(number.refused());
            return false;
        }
        user.credentialManager().updateStoredCredential(number.indexed(phone, index));
        numbers.remember(user, index);
        return true;
    }
}
