package io.github.keycloaksms.flow;

import java.util.Set;

import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.broker.AbstractIdpAuthenticator;
import org.keycloak.authentication.authenticators.broker.util.PostBrokerLoginConstants;
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
