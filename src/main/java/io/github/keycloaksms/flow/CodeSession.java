package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;

import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.metrics.SmsMetrics;

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

    /** This login (or enrollment) across the cluster: the browser tab of the authentication session. */
    public String loginId() {
        return authSession.getParentSession().getId() + "." + authSession.getTabId();
    }

    /**
     * Checks an entered code against the code sent for {@code purpose}: counts a wrong entry, and
     * lets a right code through once only, even when it arrives on several nodes at the same time.
     * An accepted code is forgotten; the target stays until the caller is done with it.
     */
    public Verification check(String input, String purpose, CodePolicy policy, SendLimits limits, String realmId) {
        Verification verification = verify(input, purpose, policy, limits, realmId);
        SmsMetrics.verification(verification.outcome().name());
        return verification;
    }

    private Verification verify(String input, String purpose, CodePolicy policy, SendLimits limits, String realmId) {
        CodeChallenge challenge = challenge();
        if (challenge == null) {
            return new Verification(Verification.Outcome.NO_CODE, null);
        }
        Verification verification = challenge.verify(input, purpose, policy, Instant.now());
        if (verification.outcome() == Verification.Outcome.WRONG) {
            save(verification.challenge());
        } else if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            clearChallenge();
            if (!limits.redeem(realmId, challenge.hash(), policy.ttl())) {
                return new Verification(Verification.Outcome.NO_CODE, null);
            }
        }
        return verification;
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
