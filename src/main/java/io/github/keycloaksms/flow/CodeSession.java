package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;

import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.code.CodeChallenge;

/** The SMS state of one login or enrollment, kept in notes of the authentication session. */
public final class CodeSession {

    private static final String CHALLENGE = "sms.challenge";
    private static final String LAST_SENT = "sms.lastSent";
    private static final String TARGET = "sms.target";

    private final AuthenticationSessionModel authSession;

    public CodeSession(AuthenticationSessionModel authSession) {
        this.authSession = authSession;
    }

    public CodeChallenge challenge() {
        return CodeChallenge.deserialize(authSession.getAuthNote(CHALLENGE));
    }

    public void save(CodeChallenge challenge) {
        authSession.setAuthNote(CHALLENGE, challenge.serialize());
    }

    /** Forgets the code (used, dead, or the number changed); the cooldown stays. */
    public void clearChallenge() {
        authSession.removeAuthNote(CHALLENGE);
    }

    /** Where codes go in this session: a credential id at login, a number (E.164) at enrollment. */
    public String target() {
        return authSession.getAuthNote(TARGET);
    }

    public void setTarget(String target) {
        authSession.setAuthNote(TARGET, target);
    }

    public void clear() {
        authSession.removeAuthNote(CHALLENGE);
        authSession.removeAuthNote(TARGET);
    }

    public void markSent(Instant now) {
        authSession.setAuthNote(LAST_SENT, Long.toString(now.getEpochSecond()));
    }

    /** How long the user must wait before another code may be sent; zero when they may send now. */
    public Duration cooldownLeft(Duration cooldown, Instant now) {
        String lastSent = authSession.getAuthNote(LAST_SENT);
        if (lastSent == null) {
            return Duration.ZERO;
        }
        Instant allowedAt = Instant.ofEpochSecond(Long.parseLong(lastSent)).plus(cooldown);
        return now.isBefore(allowedAt) ? Duration.between(now, allowedAt) : Duration.ZERO;
    }
}
