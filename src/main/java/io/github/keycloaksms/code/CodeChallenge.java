package io.github.keycloaksms.code;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * One code that was sent, as kept in the authentication session: only a salted hash of the code,
 * what it was sent for, when it expires and how many wrong entries it has seen.
 *
 * @param purpose  what the code proves, e.g. a credential id at login or a number at enrollment;
 *                 a code is never accepted for another purpose
 * @param salt     random per code
 * @param hash     SHA-256 of salt and code
 * @param expiresAt absolute expiry (epoch seconds)
 * @param failures wrong entries so far
 */
public record CodeChallenge(String purpose, String salt, String hash, long expiresAt, int failures) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char SEPARATOR = '|';

    public static CodeChallenge issue(String code, String purpose, Instant expiresAt) {
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        return new CodeChallenge(purpose, salt, hash(salt, code), expiresAt.getEpochSecond(), 0);
    }

    /**
     * Checks an entry. Malformed entries are refused without counting as an attempt: they cannot
     * be right, so they give a guesser nothing. Any other entry first claims an attempt, and only
     * an entry that got one is compared.
     *
     * @param claimAttempt      claims the next attempt at this code wherever attempts are counted;
     *                          gives its number (1 to {@code maxAttempts}), or 0 when none is left
     * @param approvedElsewhere asked about an entry that got an attempt and is not this code: true
     *                          when the provider that made the code the user got approves it
     */
    public Verification verify(String input, String expectedPurpose, CodePolicy policy, Instant now, IntSupplier claimAttempt,
                               Predicate<String> approvedElsewhere) {
        if (!purpose.equals(expectedPurpose)) {
            return new Verification(Verification.Outcome.NO_CODE, this);
        }
        if (now.getEpochSecond() >= expiresAt) {
            return new Verification(Verification.Outcome.EXPIRED, this);
        }
        if (failures >= policy.maxAttempts()) {
            return new Verification(Verification.Outcome.EXHAUSTED, this);
        }
        if (!OneTimeCodes.isWellFormed(input, policy.codeLength())) {
            return new Verification(Verification.Outcome.MALFORMED, this);
        }
        int attempt = claimAttempt.getAsInt();
        if (attempt == 0) {
            return new Verification(Verification.Outcome.EXHAUSTED, withFailures(policy.maxAttempts()));
        }
        if (matches(input) || approvedElsewhere.test(input)) {
            return new Verification(Verification.Outcome.ACCEPTED, this);
        }
        return new Verification(Verification.Outcome.WRONG, withFailures(attempt));
    }

    private CodeChallenge withFailures(int count) {
        return new CodeChallenge(purpose, salt, hash, expiresAt, Math.max(failures, count));
    }

    /** True when {@code input} is this code; compared in constant time. */
    public boolean matches(String input) {
        return input != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                hash(salt, input).getBytes(StandardCharsets.US_ASCII));
    }

    public int attemptsLeft(CodePolicy policy) {
        return Math.max(0, policy.maxAttempts() - failures);
    }

    public String serialize() {
        return String.join(String.valueOf(SEPARATOR),
                Base64.getUrlEncoder().encodeToString(purpose.getBytes(StandardCharsets.UTF_8)),
                salt, hash, Long.toString(expiresAt), Integer.toString(failures));
    }

    /** Reads what {@link #serialize()} wrote; anything else gives null. */
    public static CodeChallenge deserialize(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\" + SEPARATOR, -1);
        if (parts.length != 5) {
            return null;
        }
        try {
            String purpose = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            return new CodeChallenge(purpose, parts[1], parts[2], Long.parseLong(parts[3]), Integer.parseInt(parts[4]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hash(String salt, String code) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
