package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.metrics.SmsMetrics;

/**
 * The SMS state of one login or one enrollment, kept in notes of the authentication session. Each
 * has notes of its own: an enrollment that starts a re-authentication by SMS, or follows a login
 * by SMS, never reads the login's code or target as its own.
 */
public final class CodeSession {

    /** Whose notes these are; what their codes prove, and which send limits they draw on. */
    public enum Scope {
        LOGIN("sms.login.", "login:", SendLimits.Purpose.LOGIN),
        ENROLLMENT("sms.enroll.", "enroll:", SendLimits.Purpose.ENROLLMENT),
        PHONE_SIGN_IN("sms.phone.", "phone:", SendLimits.Purpose.PHONE_SIGN_IN),
        RESET("sms.reset.", "reset:", SendLimits.Purpose.RESET);

        private final String prefix;
        private final String codePurpose;
        private final SendLimits.Purpose sendPurpose;

        Scope(String prefix, String codePurpose, SendLimits.Purpose sendPurpose) {
            this.prefix = prefix;
            this.codePurpose = codePurpose;
            this.sendPurpose = sendPurpose;
        }

        /** What a code for {@code target} proves: it is accepted for nothing else. */
        String proves(String target) {
            return codePurpose + target;
        }

        SendLimits.Purpose sendPurpose() {
            return sendPurpose;
        }
    }

    private final AuthenticationSessionModel authSession;
    private final String challengeNote;
    private final String replacedNote;
    private final String lastSentNote;
    private final String targetNote;
    private final String channelNote;
    private final String checkerNote;
    private final String heldUntilNote;
    private final String testNumberNote;

    /**
     * The gateway whose provider made the code the user got (Twilio Verify) and checks it, with the
     * number it went to; {@code to} is null where only the job that sent it knew the number (reset).
     */
    public record Checker(String gateway, String to) {
    }

    CodeSession(AuthenticationSessionModel authSession, Scope scope) {
        this(authSession, scope.prefix);
    }

    /** Notes of one step of one flow only: {@code executionId} is the step's execution. */
    CodeSession(AuthenticationSessionModel authSession, Scope scope, String executionId) {
        this(authSession, scope.prefix + executionId + ".");
    }

    private CodeSession(AuthenticationSessionModel authSession, String prefix) {
        this.authSession = authSession;
        this.challengeNote = prefix + "challenge";
        this.replacedNote = prefix + "replaced";
        this.lastSentNote = prefix + "lastSent";
        this.targetNote = prefix + "target";
        this.channelNote = prefix + "channel";
        this.checkerNote = prefix + "checker";
        this.heldUntilNote = prefix + "heldUntil";
        this.testNumberNote = prefix + "testNumber";
    }

    public CodeChallenge challenge() {
        return CodeChallenge.deserialize(authSession.getAuthNote(challengeNote));
    }

    private void save(CodeChallenge challenge) {
        authSession.setAuthNote(challengeNote, challenge.serialize());
    }

    /**
     * Saves a newly sent code; the one it replaces is kept, to tell a user who types the old one to
     * use the new one. Who checked the old code and whether it was a test number's go with it.
     */
    void replace(CodeChallenge sent) {
        CodeChallenge replaced = challenge();
        if (replaced != null && replaced.purpose().equals(sent.purpose())) {
            authSession.setAuthNote(replacedNote, replaced.serialize());
        } else {
            authSession.removeAuthNote(replacedNote);
        }
        save(sent);
        authSession.removeAuthNote(checkerNote);
        authSession.removeAuthNote(testNumberNote);
    }

    /** Forgets the code (used, dead, or the number changed); the cooldown stays. */
    private void clearChallenge() {
        authSession.removeAuthNote(challengeNote);
        authSession.removeAuthNote(replacedNote);
        authSession.removeAuthNote(checkerNote);
        authSession.removeAuthNote(testNumberNote);
    }

    /** Who else checks the current code; empty when only ours is right. */
    public Optional<Checker> checker() {
        String note = authSession.getAuthNote(checkerNote);
        if (note == null) {
            return Optional.empty();
        }
        int separator = note.lastIndexOf('|');
        return Optional.of(new Checker(note.substring(0, separator), separator == note.length() - 1 ? null : note.substring(separator + 1)));
    }

    /** Names who else checks the current code; a newly sent code has nobody until this is said. */
    void setChecker(Checker checker) {
        authSession.setAuthNote(checkerNote, checker.gateway() + "|" + (checker.to() == null ? "" : checker.to()));
    }

    /** How the last code went out; SMS when none has. */
    public GatewayRouter.Channel channel() {
        return GatewayRouter.Channel.of(authSession.getAuthNote(channelNote)).orElse(GatewayRouter.Channel.SMS);
    }

    void setChannel(GatewayRouter.Channel channel) {
        authSession.setAuthNote(channelNote, channel.id());
    }

    /** Where codes go in this session: a credential id at login, a number (E.164) at enrollment and phone sign-in. */
    public String target() {
        return authSession.getAuthNote(targetNote);
    }

    public void setTarget(String target) {
        authSession.setAuthNote(targetNote, target);
    }

    public void clear() {
        clearChallenge();
        authSession.removeAuthNote(targetNote);
    }

    /** This login (or enrollment) across the cluster: the browser tab of the authentication session. */
    public String loginId() {
        return authSession.getParentSession().getId() + "." + authSession.getTabId();
    }

    /**
     * Checks an entered code against the code sent for {@code purpose}: each entry claims one of
     * the code's attempts cluster-wide before it is compared, and a right code gets through once
     * only, even when it arrives on several nodes at the same time. An accepted code is forgotten;
     * the target stays until the caller is done with it.
     *
     * @param approvedElsewhere whether the provider that made the code approves an entry (see {@link #checker()})
     */
    Verification check(String input, String purpose, CodePolicy policy, CodeUse uses, Predicate<String> approvedElsewhere) {
        Verification verification = verify(input, purpose, policy, uses, approvedElsewhere);
        String channel = authSession.getAuthNote(channelNote);
        SmsMetrics.verification(verification.outcome().name(), channel == null ? "unknown" : channel);
        return verification;
    }

    private Verification verify(String input, String purpose, CodePolicy policy, CodeUse uses, Predicate<String> approvedElsewhere) {
        CodeChallenge challenge = challenge();
        if (challenge == null) {
            return new Verification(Verification.Outcome.NO_CODE, null);
        }
        Verification verification = challenge.verify(input, purpose, policy, Instant.now(),
                () -> uses.claimAttempt(challenge.hash(), policy.maxAttempts(), challenge.failures(), policy.ttl()), approvedElsewhere);
        if (verification.outcome() == Verification.Outcome.WRONG || verification.outcome() == Verification.Outcome.EXHAUSTED) {
            save(verification.challenge());
            CodeChallenge replaced = CodeChallenge.deserialize(authSession.getAuthNote(replacedNote));
            if (verification.outcome() == Verification.Outcome.WRONG && replaced != null && replaced.purpose().equals(purpose)
                    && replaced.matches(input)) {
                return new Verification(Verification.Outcome.SUPERSEDED, verification.challenge());
            }
        } else if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            clearChallenge();
            if (!uses.redeem(challenge.hash(), policy.ttl())) {
                return new Verification(Verification.Outcome.NO_CODE, null);
            }
        }
        return verification;
    }

    void markSent(Instant now) {
        authSession.setAuthNote(lastSentNote, Long.toString(now.toEpochMilli()));
    }

    /** Notes that the current code is a test number's fixed code, for the event of its use. */
    void markTestNumber() {
        authSession.setAuthNote(testNumberNote, "true");
    }

    boolean isTestNumber() {
        return authSession.getAuthNote(testNumberNote) != null;
    }

    /** Holds the next code back until {@code until}, beyond the cooldown (a number's backoff). */
    void holdUntil(Instant until) {
        authSession.setAuthNote(heldUntilNote, Long.toString(until.toEpochMilli()));
    }

    /** How long the user must wait before another code may be sent; zero when they may send now. */
    Duration cooldownLeft(Duration cooldown, Instant now) {
        String lastSent = authSession.getAuthNote(lastSentNote);
        String heldUntil = authSession.getAuthNote(heldUntilNote);
        Instant allowedAt = lastSent == null ? now : Instant.ofEpochMilli(Long.parseLong(lastSent)).plus(cooldown);
        if (heldUntil != null && Instant.ofEpochMilli(Long.parseLong(heldUntil)).isAfter(allowedAt)) {
            allowedAt = Instant.ofEpochMilli(Long.parseLong(heldUntil));
        }
        return now.isBefore(allowedAt) ? Duration.between(now, allowedAt) : Duration.ZERO;
    }
}
