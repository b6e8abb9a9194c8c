package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.keycloak.representations.idm.UserRepresentation;

/** A number added next to an existing one is announced to the account's email address. */
class NewNumberNoticeIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static final SmtpSink smtp = new SmtpSink();
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("notice", r -> {
            TestRealm.smsConfig(r).put("resendCooldown", "0");
            r.setSmtpServer(Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()), "from", "keycloak@example.org"));
        });
    }

    @AfterAll
    static void cleanUp() {
        realm.delete();
        smtp.close();
    }

    @Test
    void addingASecondNumberSendsOneMailWithTheMaskedNumber() throws Exception {
        realm.createUser("noticed");
        try (Browser browser = new Browser()) {
            Steps.loginEnrolling(browser, realm, sms, "noticed", "+49 151 30000011", "11");
            assertEquals(List.of(), mailsTo("noticed@example.org"), "the first number is no change");

            browser.open(realm.authUrl() + "&kc_action=sms-register");
            Steps.enrollOnPhonePage(browser, sms, "+43 664 3000022", "22");
            List<MimeMessage> mails = mailsTo("noticed@example.org");
            assertEquals(1, mails.size());
            assertEquals("A mobile number was added to your account", mails.get(0).getSubject());
            String text = plainText(mails.get(0));
            assertTrue(text.contains("+43 ••• •••• 22"), text);
            assertFalse(text.replace(" ", "").contains("6643000022"), text);

            browser.open(realm.authUrl() + "&kc_action=sms-register");
            Steps.enrollOnPhonePage(browser, sms, "+43 664 3000022", "22");
            assertEquals(1, mailsTo("noticed@example.org").size(), "the same number again adds nothing");
        }
    }

    @Test
    void anAccountWithoutEmailStillAddsTheNumber() {
        String userId = realm.createUser("no-mail");
        UserRepresentation withoutEmail = new UserRepresentation();
        withoutEmail.setEmail("");
        assertEquals(204, realm.admin().put(realm.path("/users/" + userId), withoutEmail).status());
        int before = smtp.mails().size();
        try (Browser browser = new Browser()) {
            Steps.loginEnrolling(browser, realm, sms, "no-mail", "+49 151 30000033", "33");
            browser.open(realm.authUrl() + "&kc_action=sms-register");
            Steps.enrollOnPhonePage(browser, sms, "+49 151 30000044", "44");
        }
        assertEquals(2, realm.smsCredentials(userId).size());
        assertEquals(before, smtp.mails().size());
    }

    private static List<MimeMessage> mailsTo(String address) {
        return smtp.mails().stream().filter(m -> recipients(m).contains(address)).toList();
    }

    private static String recipients(MimeMessage mail) {
        try {
            return String.valueOf(List.of(mail.getAllRecipients()));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plainText(MimeMessage mail) throws MessagingException, IOException {
        Object content = mail.getContent();
        if (content instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    return (String) part.getContent();
                }
            }
        }
        return String.valueOf(content);
    }
}
