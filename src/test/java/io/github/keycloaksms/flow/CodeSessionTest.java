package io.github.keycloaksms.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.code.Verification.Outcome;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.MemoryStore;

class CodeSessionTest {

    private static final CodePolicy POLICY = new CodePolicy(6, Duration.ofMinutes(5), 3, Duration.ofSeconds(30));
    private final AuthenticationSessionModel authSession = AuthNotes.session("root-1", "tab-1");
    private final CodeUse uses = new CodeUse(new MemoryStore(), "realm-1");
    private final CodeSession login = new CodeSession(authSession, CodeSession.Scope.LOGIN);
    /** No provider made these codes. */
    private static final Predicate<String> OURS_ONLY = entry -> false;

    @Test
    void whoElseChecksTheCodeIsKeptWithItAndForgottenWithIt() {
        issue(login, "123456", "login:cred-1");
        login.setChecker(new CodeSession.Checker("verify|de", "+4915170000011"));
        assertEquals(Optional.of(new CodeSession.Checker("verify|de", "+4915170000011")), login.checker());
        login.setChecker(new CodeSession.Checker("verify", null));
        assertEquals(Optional.of(new CodeSession.Checker("verify", null)), login.checker(), "reset: the number is the job's");

        issue(login, "654321", "login:cred-1");
        assertEquals(Optional.empty(), login.checker(), "a newly sent code has nobody else checking it until that is said");
        login.setChecker(new CodeSession.Checker("verify", null));

        assertEquals(Outcome.ACCEPTED, login.check("777777", "login:cred-1", POLICY, uses, "777777"::equals).outcome());
        assertEquals(Optional.empty(), login.checker());
    }

    @Test
    void aRightCodeIsAcceptedOnceAndThenForgotten() {
        issue(login, "123456", "login:cred-1");

        assertEquals(Outcome.ACCEPTED, login.check("123456", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
        assertNull(login.challenge());
        assertEquals(Outcome.NO_CODE, login.check("123456", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
    }

    @Test
    void aCodeProvesOnlyWhatItWasSentFor() {
        issue(login, "123456", "login:cred-1");

        assertEquals(Outcome.NO_CODE, login.check("123456", "login:cred-2", POLICY, uses, OURS_ONLY).outcome());
        assertEquals(Outcome.ACCEPTED, login.check("123456", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
    }

    @Test
    void wrongCodesUseUpTheAttemptsThenTheCodeIsDead() {
        issue(login, "123456", "login:cred-1");

        assertEquals(Outcome.WRONG, login.check("000000", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
        assertEquals(Outcome.WRONG, login.check("000001", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
        assertEquals(Outcome.WRONG, login.check("000002", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
        assertEquals(Outcome.EXHAUSTED, login.check("123456", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
    }

    @Test
    void theCodeOfAnEarlierSmsIsToldApartAndCounted() {
        issue(login, "111111", "login:cred-1");
        issue(login, "222222", "login:cred-1");

        var verification = login.check("111111", "login:cred-1", POLICY, uses, OURS_ONLY);

        assertEquals(Outcome.SUPERSEDED, verification.outcome());
        assertTrue(verification.countsAsWrong());
        assertEquals(Outcome.ACCEPTED, login.check("222222", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
    }

    @Test
    void malformedEntriesCostNoAttempt() {
        issue(login, "123456", "login:cred-1");

        assertEquals(Outcome.MALFORMED, login.check("12345", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
        assertEquals(Outcome.MALFORMED, login.check("١٢٣٤٥٦", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
        assertEquals(3, login.challenge().attemptsLeft(POLICY));
    }

    @Test
    void eachScopeAndEachResetStepKeepsItsOwnNotes() {
        CodeSession enrollment = new CodeSession(authSession, CodeSession.Scope.ENROLLMENT);
        CodeSession resetHere = new CodeSession(authSession, CodeSession.Scope.RESET, "execution-1");
        CodeSession resetThere = new CodeSession(authSession, CodeSession.Scope.RESET, "execution-2");
        issue(login, "123456", "login:cred-1");
        login.setTarget("cred-1");

        assertNull(enrollment.challenge());
        assertNull(enrollment.target());
        issue(resetHere, "654321", "reset:account");
        assertNull(resetThere.challenge());
        assertEquals(Outcome.ACCEPTED, login.check("123456", "login:cred-1", POLICY, uses, OURS_ONLY).outcome());
    }

    @Test
    void theCooldownCountsFromTheLastSendAndSurvivesAClear() {
        Instant sent = Instant.parse("2026-12-07T10:00:00Z");
        login.markSent(sent);
        login.clear();

        assertEquals(Duration.ofSeconds(20), login.cooldownLeft(Duration.ofSeconds(30), sent.plusSeconds(10)));
        assertEquals(Duration.ZERO, login.cooldownLeft(Duration.ofSeconds(30), sent.plusSeconds(31)));
    }

    @Test
    void theCooldownKeepsTheSendsMilliseconds() {
        Instant sent = Instant.parse("2026-12-07T10:00:00.900Z");
        login.markSent(sent);

        assertEquals(Duration.ofMillis(29_800), login.cooldownLeft(Duration.ofSeconds(30), sent.plusMillis(200)));
    }

    @Test
    void aLoginIsItsRootSessionAndTab() {
        assertEquals("root-1.tab-1", login.loginId());
    }

    private static void issue(CodeSession codes, String code, String purpose) {
        codes.replace(CodeChallenge.issue(code, purpose, Instant.now().plus(POLICY.ttl())));
    }
}
