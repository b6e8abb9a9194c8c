package io.github.keycloaksms.flow;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;

import jakarta.ws.rs.core.UriInfo;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.ClientConnection;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * Wrong SMS codes count in Keycloak's brute-force detection like wrong one-time passwords. Up to
 * 26.4, Keycloak counts every failed step of the flow's user itself. From the release whose
 * detector takes authentication categories, it counts only password, OTP and recovery-code steps;
 * our step's category is {@code sms} (so that the Account Console does not offer an authenticator
 * app in realms that never ask for one), so there we report our failures and successes as OTP
 * ourselves. Phone sign-in has no flow user while codes are typed, so it reports in every version.
 */
public final class BruteForceCount {

    private static final Set<String> AS_OTP = Set.of(OTPCredentialModel.TYPE);
    private static final boolean DETECTOR_TAKES_CATEGORIES = method(Set.class) != null;
    /** {@code failedLogin} without categories, in the releases before them. */
    private static final Method UNCATEGORISED_FAILURE = DETECTOR_TAKES_CATEGORIES ? null : method();

    private BruteForceCount() {
    }

    public static void failure(AuthenticationFlowContext context) {
        if (DETECTOR_TAKES_CATEGORIES && context.getRealm().isBruteForceProtected()) {
            protector(context).failedLogin(context.getRealm(), context.getUser(), context.getConnection(), context.getUriInfo(), AS_OTP);
        }
    }

    public static void success(AuthenticationFlowContext context) {
        if (DETECTOR_TAKES_CATEGORIES && context.getRealm().isBruteForceProtected()) {
            protector(context).successfulLogin(context.getRealm(), context.getUser(), context.getConnection(), context.getUriInfo(), AS_OTP);
        }
    }

    /**
     * A wrong code for {@code user}, who is not (yet) the flow's user; may run after the request,
     * with its address and URI.
     */
    public static void failureOf(UserModel user, KeycloakSession session, RealmModel realm, ClientConnection connection, UriInfo uri) {
        if (!realm.isBruteForceProtected()) {
            return;
        }
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        if (DETECTOR_TAKES_CATEGORIES) {
            protector.failedLogin(realm, user, connection, uri, AS_OTP);
            return;
        }
        try {
            UNCATEGORISED_FAILURE.invoke(protector, realm, user, connection, uri);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Keycloak's brute-force detector refused a failure", e);
        }
    }

    /** True when brute-force detection has locked the user out, for now or for good. */
    public static boolean isLockedOut(KeycloakSession session, RealmModel realm, UserModel user) {
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        return realm.isBruteForceProtected()
                && (protector.isTemporarilyDisabled(session, realm, user) || protector.isPermanentlyLockedOut(session, realm, user));
    }

    private static BruteForceProtector protector(AuthenticationFlowContext context) {
        return context.getSession().getProvider(BruteForceProtector.class);
    }

    private static Method method(Class<?>... extra) {
        Class<?>[] parameters = new Class<?>[4 + extra.length];
        parameters[0] = RealmModel.class;
        parameters[1] = UserModel.class;
        parameters[2] = ClientConnection.class;
        parameters[3] = UriInfo.class;
        System.arraycopy(extra, 0, parameters, 4, extra.length);
        try {
            return BruteForceProtector.class.getMethod("failedLogin", parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
