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

/** Every number added to or removed from an account is announced to the account's email address. */
class NumberNoticeIT {

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
    void eachNumberAddedSendsOneMailWithTheMaskedNumber() throws Exception {
        realm.createUser("noticed");
        try (Browser browser = new Browser()) {
            Steps.loginEnrolling(browser, realm, sms, "noticed", "+49 151 30000011", "11");
            assertEquals(1, mailsTo("noticed@example.org").size(), "the first number is announced too");

            browser.open(realm.authUrl() + "&kc_action=sms-register");
            Steps.enrollOnPhonePage(browser, sms, "+43 664 3000022", "22");
            List<MimeMessage> mails = mailsTo("noticed@example.org");
            assertEquals(2, mails.size());
            assertEquals("A mobile number was added to your account", mails.get(1).getSubject());
            String text = plainText(mails.get(1));
            assertTrue(text.contains("+43 ••• •••• 22"), text);
            assertFalse(text.replace(" ", "").contains("6643000022"), text);

            browser.open(realm.authUrl() + "&kc_action=sms-register");
            int mark = sms.mark();
            browser.fill("phone", "+43 664 3000022").submit("send");
            assertTrue(browser.fieldError("phone").startsWith("This number is already on your account."), browser.text());
            assertEquals(0, sms.countSince(mark), "no code for a number the account has");
            assertEquals(2, mailsTo("noticed@example.org").size(), "the same number again adds nothing");
        }
    }

    @Test
    void aNumberRemovedInTheAccountConsoleSendsOneMail() throws Exception {
        String userId = Steps.enrolledUser(realm, sms, "removing", "+49 151 30000055", "55");
        int before = mailsTo("removing@example.org").size();
        String token = AdminApi.token(realm.name(), TestRealm.CLIENT_ID, "removing", TestRealm.PASSWORD);
        String credentialId = String.valueOf(realm.smsCredentials(userId).get(0).get("id"));
        AdminApi.Response removed = realm.admin().asUser("DELETE",
                "/realms/" + realm.name() + "/account/credentials/" + credentialId, token);
        assertEquals(204, removed.status(), removed.body());

        List<MimeMessage> mails = mailsTo("removing@example.org");
        assertEquals(before + 1, mails.size());
        MimeMessage mail = mails.get(mails.size() - 1);
        assertEquals("A mobile number was removed from your account", mail.getSubject());
        String text = plainText(mail);
        assertTrue(text.contains(Steps.unbroken("+49 ••• •••• 55")), "the number's label: " + text);
        assertFalse(text.replaceAll("[\\s\u00A0]", "").contains("15130000055"), text);
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
