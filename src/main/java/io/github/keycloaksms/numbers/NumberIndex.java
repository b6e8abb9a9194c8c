package io.github.keycloaksms.numbers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

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
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(realmKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(number.e164().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
