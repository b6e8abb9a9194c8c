package io.github.keycloaksms.signin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.NewCookie;

import org.keycloak.models.KeycloakContext;

import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;

/**
 * The allowance of a browser that has signed in with a number before: a long-lived cookie, bound
 * to the realm and the number's index by the realm's key, whose holder counts that number's codes
 * apart from everyone else's. Strangers who use up a number's daily codes at phone sign-in then
 * do not lock its holder out, who keeps a count of their own on the browsers they signed in with.
 * Only a browser that already proved the number holds one, so no visitor learns anything from it.
 */
final class DeviceAllowance {

    static final String COOKIE = "KC_SMS_DEVICE";
    private static final Duration LIFETIME = Duration.ofDays(180);
    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

    private DeviceAllowance() {
    }

    /** After a sign-in with the number: the browser keeps its allowance for it (the last number it signed in with). */
    static void remember(CodeStep step, String numberIndex) {
        long today = today();
        KeycloakContext context = step.session().getContext();
        context.getHttpResponse().setCookieIfAbsent(new NewCookie.Builder(COOKIE)
                .value(today + "." + mark(step, numberIndex, today))
                .path(realmPath(context, step.realm().getName()))
                .maxAge((int) LIFETIME.toSeconds())
                .httpOnly(true)
                .secure("https".equals(context.getUri().getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.LAX)
                .build());
    }

    /** What the number's codes count under: its own count on a browser that signed in with it, else the number's. */
    static String numberKey(CodeStep step, String numberIndex) {
        return holds(step, numberIndex) ? "device:" + numberIndex : numberIndex;
    }

    private static boolean holds(CodeStep step, String numberIndex) {
        Cookie cookie = step.session().getContext().getRequestHeaders().getCookies().get(COOKIE);
        String value = cookie == null ? "" : cookie.getValue();
        int dot = value.indexOf('.');
        if (dot < 1 || dot > 10) {
            return false;
        }
        long issued;
        try {
            issued = Long.parseLong(value.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        long today = today();
        return issued <= today && today - issued < LIFETIME.toDays()
                && MessageDigest.isEqual(mark(step, numberIndex, issued).getBytes(StandardCharsets.US_ASCII),
                        value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private static long today() {
        return Instant.now().getEpochSecond() / SECONDS_PER_DAY;
    }

    private static String mark(CodeStep step, String numberIndex, long issuedDay) {
        return NumberIndex.ofDevice(RealmNumberKey.get(step.session(), step.realm()), numberIndex, issuedDay);
    }

    private static String realmPath(KeycloakContext context, String realmName) {
        return context.getUri().getBaseUriBuilder().path("realms").path(realmName).path("/").build().getRawPath();
    }
}
