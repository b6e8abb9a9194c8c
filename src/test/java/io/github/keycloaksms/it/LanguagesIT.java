package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.keycloak.representations.idm.UserRepresentation;

import io.github.keycloaksms.ThemeMessages;

/** Pages and SMS speak the user's language, for every language the demo realm offers. */
class LanguagesIT {

    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "nl", "pt-BR", "pl", "ja");
    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.createWithoutLockoutOrCooldown("languages");
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "de", "fr", "es", "it", "nl", "pt-BR", "pl", "ja"})
    void enrollmentPagesAndTheSmsAreInTheUsersLanguage(String languageTag) throws IOException {
        Properties messages = ThemeMessages.of(languageTag.replace('-', '_'));
        Locale locale = Locale.forLanguageTag(languageTag);
        String username = "speaks-" + languageTag.toLowerCase(Locale.ROOT);
        String userId = realm.createUser(username);
        UserRepresentation withLocale = new UserRepresentation();
        withLocale.setAttributes(Map.of("locale", List.of(languageTag)));
        assertEquals(204, realm.admin().put(realm.path("/users/" + userId), withLocale).status());

        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.text().contains(text(messages, locale, "smsPhoneTitle")), browser.text());
            String region = new Locale("", "DE").getDisplayCountry(locale);   // the demo realm's default region
            assertTrue(browser.text().contains(text(messages, locale, "smsPhoneHelpNational", region, "01512 3456789")), browser.text());

            int mark = sms.mark();
            String lastTwoDigits = String.format("%02d", LANGUAGES.indexOf(languageTag));
            browser.fill("phone", "+49 151 200001" + lastTwoDigits).submit("send");
            assertTrue(browser.text().contains(text(messages, locale, "smsCodeTitle")), browser.text());
            String code = sms.awaitCode(mark, lastTwoDigits);
            String text = text(messages, locale, "smsText", code, TestRealm.demoRealm().getDisplayName(), 5, "localhost");
            assertEquals(text, sms.awaitText(mark, lastTwoDigits), "the SMS in the log, with its line breaks");

            browser.fill("code", "12").submit("verify");
            assertEquals(text(messages, locale, "smsCodeMalformed", 6), browser.fieldError("code"));
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    /** A message as Keycloak shows it: through MessageFormat, which also turns '' into '. */
    private static String text(Properties messages, Locale locale, String key, Object... arguments) {
        return new MessageFormat(messages.getProperty(key), locale).format(arguments);
    }
}
