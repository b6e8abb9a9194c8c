package io.github.keycloaksms.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.Theme;

/**
 * Renders the SMS from the login theme's message {@code smsText}, in the user's language, with the
 * realm's own overrides (Realm settings &gt; Localization). Its last line binds the code to our
 * host ({@code @host #code}) so that phones offer to autofill it only on this site.
 */
public final class SmsText {

    static final String MESSAGE_KEY = "smsText";
    static final String VOICE_MESSAGE_KEY = "smsVoiceText";
    private static final String FALLBACK = "{0} is your verification code for {1}. It expires in {2} minutes.\n\n@{3} #{0}";
    private static final String VOICE_FALLBACK = "Your {1} verification code is {0}. Again: {0}.";

    private SmsText() {
    }

    public static String render(KeycloakSession session, RealmModel realm, Locale locale, String code, Duration ttl) {
        String pattern = messages(session, realm, locale).getProperty(MESSAGE_KEY, FALLBACK);
        String host = session.getContext().getUri().getBaseUri().getHost();
        long minutes = Math.max(1, ttl.toMinutes());
        return new MessageFormat(pattern, locale).format(new Object[] {code, realmName(realm), minutes, host});
    }

    /**
     * What a voice call says, from the message {@code smsVoiceText}: the code digit by digit
     * ("4, 8, 1, ..."), so that a speech engine does not read it as a number, and the realm's name.
     */
    public static String renderVoice(KeycloakSession session, RealmModel realm, Locale locale, String code) {
        String pattern = messages(session, realm, locale).getProperty(VOICE_MESSAGE_KEY, VOICE_FALLBACK);
        String digits = String.join(", ", code.split(""));
        return new MessageFormat(pattern, locale).format(new Object[] {digits, realmName(realm)});
    }

    private static String realmName(RealmModel realm) {
        return realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName();
    }

    private static Properties messages(KeycloakSession session, RealmModel realm, Locale locale) {
        try {
            return session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(realm, locale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the login theme's messages", e);
        }
    }
}
