package io.github.keycloaksms.login;

import java.util.Set;

import jakarta.ws.rs.core.UriInfo;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.ClientConnection;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * Wrong SMS codes count in Keycloak's brute-force detection like wrong one-time passwords. Up to
 * 26.4, Keycloak counts every failed step itself. From the release whose detector takes
 * authentication categories, it counts only password, OTP and recovery-code steps; our step's
 * category is {@code sms} (so that the Account Console does not offer an authenticator app in
 * realms that never ask for one), so there we report our failures and successes as OTP ourselves.
 */
final class BruteForceCount {

    private static final Set<String> AS_OTP = Set.of(OTPCredentialModel.TYPE);
    private static final boolean DETECTOR_TAKES_CATEGORIES = takesCategories();

    private BruteForceCount() {
    }

    static void failure(AuthenticationFlowContext context) {
        if (DETECTOR_TAKES_CATEGORIES && context.getRealm().isBruteForceProtected()) {
            protector(context).failedLogin(context.getRealm(), context.getUser(), context.getConnection(), context.getUriInfo(), AS_OTP);
        }
    }

    static void success(AuthenticationFlowContext context) {
        if (DETECTOR_TAKES_CATEGORIES && context.getRealm().isBruteForceProtected()) {
            protector(context).successfulLogin(context.getRealm(), context.getUser(), context.getConnection(), context.getUriInfo(), AS_OTP);
        }
    }

    private static BruteForceProtector protector(AuthenticationFlowContext context) {
        return context.getSession().getProvider(BruteForceProtector.class);
    }

    private static boolean takesCategories() {
        try {
            BruteForceProtector.class.getMethod("failedLogin", RealmModel.class, UserModel.class, ClientConnection.class,
                    UriInfo.class, Set.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
