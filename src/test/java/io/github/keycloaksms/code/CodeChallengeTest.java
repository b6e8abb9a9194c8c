package io.github.keycloaksms.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.code.Verification.Outcome;

class CodeChallengeTest {

    private static final CodePolicy POLICY = new CodePolicy(6, Duration.ofMinutes(5), 3, Duration.ofSeconds(30));
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String PURPOSE = "login:credential-1";

    private final CodeChallenge challenge = CodeChallenge.issue("123456", PURPOSE, NOW.plus(POLICY.ttl()));

    /** Attempts as the cluster store counts them: the next free one, or 0 when all are taken. */
    private final AtomicInteger attemptsClaimed = new AtomicInteger();
    private final IntSupplier attempts = () -> attemptsClaimed.get() < POLICY.maxAttempts() ? attemptsClaimed.incrementAndGet() : 0;
    /** No provider made this code: only ours is right. */
    private static final Predicate<String> OURS_ONLY = entry -> false;

    @Test
    void aProviderIsAskedOnlyAboutAnEntryThatGotAnAttemptAndIsNotOurCode() {
        List<String> asked = new ArrayList<>();
        Predicate<String> provider = entry -> {
            asked.add(entry);
            return entry.equals("777777");
        };
        assertEquals(Outcome.MALFORMED, challenge.verify("77", PURPOSE, POLICY, NOW, attempts, provider).outcome());
        assertEquals(Outcome.EXPIRED, challenge.verify("777777", PURPOSE, POLICY, NOW.plus(POLICY.ttl()), attempts, provider).outcome());
        assertEquals(Outcome.ACCEPTED, challenge.verify("123456", PURPOSE, POLICY, NOW, attempts, provider).outcome());
        assertEquals(Outcome.WRONG, challenge.verify("000000", PURPOSE, POLICY, NOW, attempts, provider).outcome());
        assertEquals(Outcome.ACCEPTED, challenge.verify("777777", PURPOSE, POLICY, NOW, attempts, provider).outcome());
        assertEquals(List.of("000000", "777777"), asked);
        assertEquals(Outcome.EXHAUSTED, challenge.verify("777777", PURPOSE, POLICY, NOW, attempts, provider).outcome(),
                "the provider's code draws on the same attempts");
        assertEquals(2, asked.size());
    }

    @Test
    void rightCodeInTimeIsAccepted() {
        assertEquals(Outcome.ACCEPTED, challenge.verify("123456", PURPOSE, POLICY, NOW.plusSeconds(10), attempts, OURS_ONLY).outcome());
    }

    @Test
    void onlyASaltedHashIsKept() {
        assertFalse(challenge.serialize().contains("123456"));
        CodeChallenge sameCodeAgain = CodeChallenge.issue("123456", PURPOSE, NOW);
        assertFalse(challenge.hash().equals(sameCodeAgain.hash()), "each code has its own salt");
    }

    @Test
    void wrongCodesCountUntilTheCodeIsDead() {
        Verification first = challenge.verify("000000", PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
        assertEquals(Outcome.WRONG, first.outcome());
        assertEquals(2, first.challenge().attemptsLeft(POLICY));

        Verification second = first.challenge().verify("000001", PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
        Verification third = second.challenge().verify("000002", PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
        assertEquals(Outcome.WRONG, third.outcome());
        assertEquals(0, third.challenge().attemptsLeft(POLICY));

        Verification afterwards = third.challenge().verify("123456", PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
        assertEquals(Outcome.EXHAUSTED, afterwards.outcome(), "even the right code is refused once the code is dead");
    }

    @Test
    void entriesPostedInParallelShareTheCodesAttempts() {
        // each request reads the challenge before any other has saved its wrong entry
        for (int i = 0; i < POLICY.maxAttempts(); i++) {
            assertEquals(Outcome.WRONG, challenge.verify("00000" + i, PURPOSE, POLICY, NOW, attempts, OURS_ONLY).outcome());
        }
        Verification right = challenge.verify("123456", PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
        assertEquals(Outcome.EXHAUSTED, right.outcome(), "the store had no attempt left, whatever this request's copy says");
        assertEquals(0, right.challenge().attemptsLeft(POLICY));
    }

    @Test
    void malformedAndExpiredEntriesClaimNoAttempt() {
        challenge.verify("12", PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
        challenge.verify("123456", PURPOSE, POLICY, NOW.plus(POLICY.ttl()), attempts, OURS_ONLY);
        challenge.verify("123456", "login:credential-2", POLICY, NOW, attempts, OURS_ONLY);
        assertEquals(0, attemptsClaimed.get());
    }

    @Test
    void expiryIsAbsolute() {
        assertEquals(Outcome.EXPIRED, challenge.verify("123456", PURPOSE, POLICY, NOW.plus(POLICY.ttl()), attempts, OURS_ONLY).outcome());
        assertEquals(Outcome.ACCEPTED, challenge.verify("123456", PURPOSE, POLICY, NOW.plus(POLICY.ttl()).minusSeconds(1), attempts, OURS_ONLY).outcome());
    }

    @Test
    void aCodeIsNeverAcceptedForAnotherPurpose() {
        assertEquals(Outcome.NO_CODE, challenge.verify("123456", "login:credential-2", POLICY, NOW, attempts, OURS_ONLY).outcome());
        assertEquals(Outcome.NO_CODE, challenge.verify("123456", "enroll:+4915123456789", POLICY, NOW, attempts, OURS_ONLY).outcome());
    }

    @Test
    void malformedInputIsRefusedWithoutCountingAnAttempt() {
        for (String input : new String[] {null, "", "12345", "1234567", "12345a", "١٢٣٤٥٦", "１２３４５６", " 123456"}) {
            Verification verification = challenge.verify(input, PURPOSE, POLICY, NOW, attempts, OURS_ONLY);
            assertEquals(Outcome.MALFORMED, verification.outcome(), String.valueOf(input));
            assertEquals(0, verification.challenge().failures());
        }
    }

    @Test
    void serializationRoundTripsAndRejectsGarbage() {
        CodeChallenge counted = challenge.verify("000000", PURPOSE, POLICY, NOW, attempts, OURS_ONLY).challenge();
        assertEquals(counted, CodeChallenge.deserialize(counted.serialize()));
        assertNull(CodeChallenge.deserialize(null));
        assertNull(CodeChallenge.deserialize("a|b"));
        assertNull(CodeChallenge.deserialize("!!|salt|hash|notanumber|0"));
    }

    @Test
    void generatedCodesAreAsciiDigitsOfTheRequestedLength() {
        for (int length = OneTimeCodes.MIN_LENGTH; length <= OneTimeCodes.MAX_LENGTH; length++) {
            String code = OneTimeCodes.generate(length);
            assertTrue(code.matches("^[0-9]{" + length + "}$"), code);
            assertTrue(OneTimeCodes.isWellFormed(code, length));
        }
    }
}
