package io.github.keycloaksms.code;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Generates codes and checks their shape. */
public final class OneTimeCodes {

    public static final int MIN_LENGTH = 6;
    public static final int MAX_LENGTH = 8;

    private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private OneTimeCodes() {
    }

    public static String generate(int length) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("code length must be between 6 and 8");
        }
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return code.toString();
    }

    /** Exactly {@code length} ASCII digits; {@link Character#isDigit} would also accept other scripts. */
    public static boolean isWellFormed(String input, int length) {
        return input != null && input.length() == length && ASCII_DIGITS.matcher(input).matches();
    }
}
