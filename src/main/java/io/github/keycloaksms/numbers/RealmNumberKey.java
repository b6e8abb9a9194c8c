package io.github.keycloaksms.numbers;

import java.security.SecureRandom;
import java.util.Base64;

import org.keycloak.models.RealmModel;

/**
 * The realm's 256-bit key for {@link NumberIndex}: made on first use and kept as a realm attribute,
 * so it is the same on every node, survives restarts and travels with realm exports.
 */
public final class RealmNumberKey {

    static final String ATTRIBUTE = "smsNumberIndexKey";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RealmNumberKey() {
    }

    public static byte[] get(RealmModel realm) {
        String stored = realm.getAttribute(ATTRIBUTE);
        if (stored == null) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            realm.setAttribute(ATTRIBUTE, Base64.getEncoder().encodeToString(key));
            stored = realm.getAttribute(ATTRIBUTE);
        }
        return Base64.getDecoder().decode(stored);
    }
}
