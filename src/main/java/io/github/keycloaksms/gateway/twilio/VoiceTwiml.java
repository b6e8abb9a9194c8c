package io.github.keycloaksms.gateway.twilio;

import java.util.Locale;
import java.util.Map;

/** The TwiML of a call that says one text, in a voice of the user's language. */
final class VoiceTwiml {

    /** The region Twilio's voices speak a language in, when the user's locale names none. */
    private static final Map<String, String> REGIONS = Map.of("en", "US", "de", "DE", "fr", "FR", "es", "ES", "it", "IT",
            "nl", "NL", "pt", "BR", "pl", "PL", "ja", "JP");

    private VoiceTwiml() {
    }

    static String say(String text, Locale locale) {
        return "<Response><Say language=\"" + language(locale) + "\">" + escape(text) + "</Say></Response>";
    }

    static String language(Locale locale) {
        String language = locale.getLanguage().isEmpty() ? "en" : locale.getLanguage();
        String region = locale.getCountry().isEmpty() ? REGIONS.getOrDefault(language, "") : locale.getCountry();
        return region.isEmpty() ? language : language + "-" + region;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
