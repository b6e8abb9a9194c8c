package io.github.keycloaksms.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.code.Verification.Outcome;

class CodeChallengeTest {

    private static final CodePolicy POLICY = new CodePolicy(6, Duration.ofMinutes(5), 3, Duration.ofSeconds(30));
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String PURPOSE = "login:credential-1";

    private final CodeChallenge challenge = CodeChallenge.issue("123456", PURPOSE, NOW.plus(POLICY.ttl()));

    @Test
    void rightCodeInTimeIsAccepted() {
        assertEquals(Outcome.ACCEPTED, challenge.verify("123456", PURPOSE, POLICY, NOW.plusSeconds(10)).outcome());
    }

    @Test
    void onlyASaltedHashIsKept() {
        assertFalse(challenge.serialize().contains("123456"));
        CodeChallenge sameCodeAgain = CodeChallenge.issue("123456", PURPOSE, NOW);
        assertFalse(challenge.hash().equals(sameCodeAgain.hash()), "each code has its own salt");
    }

    @Test
    void wrongCodesCountUntilTheCodeIsDead() {
        Verification first = challenge.verify("000000", PURPOSE, POLICY, NOW);
        assertEquals(Outcome.WRONG, first.outcome());
        assertEquals(2, first.challenge().attemptsLeft(POLICY));

        Verification second = first.challenge().verify("000001", PURPOSE, POLICY, NOW);
        Verification third = second.challenge().verify("000002", PURPOSE, POLICY, NOW);
        assertEquals(Outcome.WRONG, third.outcome());
        assertEquals(0, third.challenge().attemptsLeft(POLICY));

        Verification afterwards = third.challenge().verify("123456", PURPOSE, POLICY, NOW);
        assertEquals(Outcome.EXHAUSTED, afterwards.outcome(), "even the right code is refused once the code is dead");
    }

    @Test
    void expiryIsAbsolute() {
        assertEquals(Outcome.EXPIRED, challenge.verify("123456", PURPOSE, POLICY, NOW.plus(POLICY.ttl())).outcome());
        assertEquals(Outcome.ACCEPTED, challenge.verify("123456", PURPOSE, POLICY, NOW.plus(POLICY.ttl()).minusSeconds(1)).outcome());
    }

    @Test
    void aCodeIsNeverAcceptedForAnotherPurpose() {
        assertEquals(Outcome.NO_CODE, challenge.verify("123456", "login:credential-2", POLICY, NOW).outcome());
        assertEquals(Outcome.NO_CODE, challenge.verify("123456", "enroll:+4915123456789", POLICY, NOW).outcome());
    }

    @Test
    void malformedInputIsRefusedWithoutCountingAnAttempt() {
        for (String input : new String[] {null, "", "12345", "1234567", "12345a", "١٢٣٤٥٦", "１２３４５６", " 123456"}) {
            Verification verification = challenge.verify(input, PURPOSE, POLICY, NOW);
            assertEquals(Outcome.MALFORMED, verification.outcome(), String.valueOf(input));
            assertEquals(0, verification.challenge().failures());
        }
    }

    @Test
    void serializationRoundTripsAndRejectsGarbage() {
        CodeChallenge counted = challenge.verify("000000", PURPOSE, POLICY, NOW).challenge();
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
