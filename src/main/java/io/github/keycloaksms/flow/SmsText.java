package io.github.keycloaksms.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Format;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.Theme;

/**
 * Renders the SMS from the login theme's message {@code smsText}, in the user's language, with the
 * realm's own overrides (Realm settings &gt; Localization). Its last line binds the code to our
 * host ({@code @host #code}) so that phones offer to autofill it only on this site.
 */
public final class SmsText {

    /** Beyond this many realm and language pairs the kept patterns are dropped and read again as needed. */
    private static final int MAX_KEPT = 10_000;
    /**
     * The two patterns per realm, login theme and language, with the realm's overrides they were read
     * with: merging a theme's messages costs more than the rest of a send, and they rarely change.
     */
    private static final Map<Key, Patterns> PATTERNS = new ConcurrentHashMap<>();

    /** What decides the patterns: Keycloak picks the login theme by the client's own, else the realm's. */
    private record Key(String realmId, String clientTheme, String realmTheme, Locale locale) {
    }

    private record Patterns(Map<String, Map<String, String>> overrides, Pattern sms, Pattern voice) {
    }

    /**
     * A message compiled once. {@link MessageFormat} is not thread-safe, hence the lock; a number
     * argument without a format of its own gets one number format, made once, not one per message.
     */
    private static final class Pattern {
        private final MessageFormat format;

        Pattern(String pattern, Locale locale, int... numberArguments) {
            this.format = new MessageFormat(pattern, locale);
            Format[] formats = format.getFormatsByArgumentIndex();
            for (int argument : numberArguments) {
                if (argument < formats.length && formats[argument] == null) {
                    format.setFormatByArgumentIndex(argument, NumberFormat.getInstance(locale));
                }
            }
        }

        synchronized String format(Object... arguments) {
            return format.format(arguments);
        }
    }

    private static final String CLIENT_THEME = "login_theme";
    static final String MESSAGE_KEY = "smsText";
    static final String VOICE_MESSAGE_KEY = "smsVoiceText";
    private static final String FALLBACK = "{0} is your verification code for {1}. It expires in {2} minutes.\n\n@{3} #{0}";
    /** The argument of {@link #MESSAGE_KEY} that is a number: the code's lifetime in minutes. */
    private static final int MINUTES = 2;
    private static final String VOICE_FALLBACK = "Your {1} verification code is {0}. Again: {0}.";

    private SmsText() {
    }

    public static String render(KeycloakSession session, RealmModel realm, Locale locale, String code, Duration ttl) {
        String host = session.getContext().getUri().getBaseUri().getHost();
        long minutes = Math.max(1, ttl.toMinutes());
        return patterns(session, realm, locale).sms().format(code, realmName(realm), minutes, host);
    }

    /**
     * What a voice call says, from the message {@code smsVoiceText}: the code digit by digit
     * ("4, 8, 1, ..."), so that a speech engine does not read it as a number, and the realm's name.
     */
    public static String renderVoice(KeycloakSession session, RealmModel realm, Locale locale, String code) {
        String digits = String.join(", ", code.split(""));
        return patterns(session, realm, locale).voice().format(digits, realmName(realm));
    }

    private static String realmName(RealmModel realm) {
        return realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName();
    }

    /** The realm's patterns in {@code locale}, read again when the realm's localization overrides change. */
    private static Patterns patterns(KeycloakSession session, RealmModel realm, Locale locale) {
        ClientModel client = session.getContext().getClient();
        Key key = new Key(realm.getId(), client == null ? null : client.getAttribute(CLIENT_THEME), realm.getLoginTheme(), locale);
        Map<String, Map<String, String>> overrides = realm.getRealmLocalizationTexts();
        Patterns kept = PATTERNS.get(key);
        if (kept != null && kept.overrides().equals(overrides == null ? Map.of() : overrides)) {
            return kept;
        }
        Properties messages = messages(theme(session), realm, locale);
        Patterns read = new Patterns(copy(overrides), new Pattern(messages.getProperty(MESSAGE_KEY, FALLBACK), locale, MINUTES),
                new Pattern(messages.getProperty(VOICE_MESSAGE_KEY, VOICE_FALLBACK), locale));
        if (PATTERNS.size() >= MAX_KEPT) {
            PATTERNS.clear();
        }
        PATTERNS.put(key, read);
        return read;
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> overrides) {
        Map<String, Map<String, String>> copy = new HashMap<>();
        if (overrides != null) {
            overrides.forEach((language, texts) -> copy.put(language, texts == null ? Map.of() : new HashMap<>(texts)));
        }
        return copy;
    }

    /** The login theme of this request: the realm's, or its client's own. */
    private static Theme theme(KeycloakSession session) {
        try {
            return session.theme().getTheme(Theme.Type.LOGIN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the login theme", e);
        }
    }

    private static Properties messages(Theme theme, RealmModel realm, Locale locale) {
        try {
            return theme.getEnhancedMessages(realm, locale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the login theme's messages", e);
        }
    }
}
