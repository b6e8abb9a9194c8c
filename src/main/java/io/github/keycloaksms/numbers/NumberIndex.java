package io.github.keycloaksms.numbers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * A blind index of a number: HMAC-SHA-256 of its E.164 form under the realm's secret key. It finds
 * equal numbers without storing them; without the key, the ~10^10 possible numbers cannot be tried.
 */
public final class NumberIndex {

    private NumberIndex() {
    }

    public static String of(byte[] realmKey, PhoneNumber number) {
        return keyed(realmKey, number.e164());
    }

    /** The same for an account name as a visitor typed it, to count per account without naming it. */
    public static String ofAccountName(byte[] realmKey, String name) {
        return keyed(realmKey, "account:" + name.strip().toLowerCase(Locale.ROOT));
    }

    /** What marks a browser that signed in with the number whose index this is, on {@code issuedDay}. */
    public static String ofDevice(byte[] realmKey, String numberIndex, long issuedDay) {
        return keyed(realmKey, "device:" + numberIndex + ":" + issuedDay);
    }

    private static String keyed(byte[] realmKey, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(realmKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
