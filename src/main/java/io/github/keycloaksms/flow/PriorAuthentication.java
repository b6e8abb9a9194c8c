package io.github.keycloaksms.flow;

import java.util.Set;

import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.credential.SmsCredentialModel;

/**
 * Whether the user proved who they are earlier in this login: an SMS goes only to a user who
 * did. A bare username form or a reset flow's "choose user" proves nothing, so an SMS step after
 * them would text, or let a visitor enroll a number for, whichever account was typed.
 */
public final class PriorAuthentication {

    /** Set when the SMS step asked for enrollment in a login where nothing was proved. */
    private static final String UNPROVEN_SETUP_NOTE = "sms.enroll.unproven";

    private PriorAuthentication() {
    }

    /** Credential types that do not prove anything by being listed: the username form reports "password" too. */
    private static final Set<String> NOT_PROOF_BY_TYPE = Set.of(PasswordCredentialModel.TYPE, SmsCredentialModel.TYPE);

    /**
     * Also true in a step-up, where the SSO cookie only reports the level already reached (it
     * does not count as this login's proof): the browser's user session belongs to this user,
     * so the user proved who they are when that session began.
     */
    public static boolean established(KeycloakSession session, AuthenticationSessionModel authSession, UserModel user) {
        if (established(authSession)) {
            return true;
        }
        UserSessionModel userSession = user == null ? null
                : session.sessions().getUserSession(authSession.getRealm(), authSession.getParentSession().getId());
        return userSession != null && user.getId().equals(userSession.getUser().getId());
    }

    public static boolean established(AuthenticationSessionModel authSession) {
        return AuthenticatorUtil.isSSOAuthentication(authSession)
                || AuthenticatorUtil.isPasswordValidated(authSession)
                || AuthenticatorUtil.getAuthnCredentials(authSession).stream().anyMatch(type -> !NOT_PROOF_BY_TYPE.contains(type))
                || authSession.getAuthNote(AbstractIdpAuthenticator.BROKERED_CONTEXT_NOTE) != null
                || authSession.getAuthNote(PostBrokerLoginConstants.PBL_BROKERED_IDENTITY_CONTEXT) != null;
    }

    /** Remembers, for the enrollment that follows, that the login proved nothing before asking for it. */
    public static void noteSetupWithoutProof(AuthenticationSessionModel authSession) {
        if (!established(authSession)) {
            authSession.setAuthNote(UNPROVEN_SETUP_NOTE, "true");
        }
    }

    public static boolean setupWithoutProof(AuthenticationSessionModel authSession) {
        return authSession.getAuthNote(UNPROVEN_SETUP_NOTE) != null;
    }
}
