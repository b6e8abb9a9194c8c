package io.github.keycloaksms.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloaksms.ThemeMessages;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumbers;

/** Every language has every message, with the same placeholders, and each one formats. */
class MessageBundlesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");
    /** A lone apostrophe starts a quoted section in MessageFormat and swallows the rest. */
    private static final Pattern LONE_APOSTROPHE = Pattern.compile("(?<!')'(?!')");

    @ParameterizedTest
    @ValueSource(strings = {"de", "fr", "es", "it", "nl", "pt_BR", "pl", "ja"})
    void hasEveryEnglishMessageWithTheSamePlaceholders(String language) throws IOException {
        Properties english = ThemeMessages.of("en");
        Properties translated = ThemeMessages.of(language);
        assertEquals(english.stringPropertyNames(), translated.stringPropertyNames());
        for (String key : english.stringPropertyNames()) {
            String text = translated.getProperty(key);
            assertEquals(placeholders(english.getProperty(key)), placeholders(text), language + " " + key);
            assertFalse(LONE_APOSTROPHE.matcher(text).find(), language + " " + key + " needs '' for an apostrophe: " + text);
            assertFalse(new MessageFormat(text, Locale.forLanguageTag(language.replace('_', '-')))
                    .format(new Object[] {"A", "B", "C", "D"}).contains("{"), language + " " + key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "de", "fr", "es", "it", "nl", "pt_BR", "pl", "ja"})
    void theSmsEndsWithTheLineThatBindsTheCodeToTheSite(String language) throws IOException {
        String sms = ThemeMessages.of(language).getProperty(SmsText.MESSAGE_KEY);
        assertTrue(sms.endsWith("\n\n@{3} #{0}"), language + ": " + sms);
    }

    /** The country each language's examples come from. */
    private static final Map<String, String> EXAMPLE_REGION = Map.of("en", "GB", "de", "DE", "fr", "FR", "es", "ES", "it", "IT",
            "nl", "NL", "pt_BR", "BR", "pl", "PL", "ja", "JP");
    private static final Pattern EXAMPLE_NUMBER = Pattern.compile("\\+\\d[\\d ()-]*\\d");

    @ParameterizedTest
    @ValueSource(strings = {"en", "de", "fr", "es", "it", "nl", "pt_BR", "pl", "ja"})
    void everyExampleNumberIsAMobileNumberOurValidatorAcceptsInThatLanguagesCountry(String language) throws Exception {
        Properties messages = ThemeMessages.of(language);
        int examples = 0;
        for (String key : messages.stringPropertyNames()) {
            Matcher example = EXAMPLE_NUMBER.matcher(messages.getProperty(key));
            while (example.find()) {
                examples++;
                PhoneNumber number = PhoneNumbers.parse(example.group(), null, Set.of());
                assertEquals(EXAMPLE_REGION.get(language), number.region(), language + " " + key + ": " + example.group());
            }
        }
        assertTrue(examples >= 3, language + ": the hint and the two errors show an example");
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }
}
