package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Users imported with {@code {"phone": "..."}} SMS credentials: indexed, found by phone sign-in, clashes reported. */
class ImportedNumbersIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final SmsLog sms = new SmsLog(server);

    @Test
    void numbersInARealmImportWorkForPhoneSignInAndAClashIsReported() {
        int mark = server.mark();
        TestRealm realm = TestRealm.create("imported", r -> {
            TestRealm.withPhoneSignIn(r, server, false);
            r.setUsers(List.of(TestRealm.withSmsNumber(TestRealm.userWithPassword("imported-one"), "+49 151 9500 0081"), TestRealm.withSmsNumber(TestRealm.userWithPassword("imported-two"), "+4915195000082"),
                    TestRealm.withSmsNumber(TestRealm.userWithPassword("imported-clash"), "+49 (151) 950-00082")));
        });
        try {
            String userId = realm.admin().userId(realm.name(), "imported-one");
            assertEquals("+4915195000081", realm.admin().get(realm.path("/sms/users/" + userId + "/numbers")).json()
                    .get(0).path("phone").asText(), "normalised");
            signInByPhone(realm, "+49 151 95000081", "81");

            assertTrue(server.awaitLine(mark, line -> line.contains("held by another user too") && line.contains(" 82 of user"),
                    Duration.ofSeconds(5)).isPresent(), "the clash is in the log");
            List<Boolean> receive = new java.util.ArrayList<>();
            for (String username : List.of("imported-two", "imported-clash")) {
                String id = realm.admin().userId(realm.name(), username);
                assertEquals(1, realm.smsCredentials(id).size(), "reported, not dropped: " + username);
                receive.add(realm.admin().get(realm.path("/sms/users/" + id + "/numbers")).json().get(0).path("receivesLoginCodes").asBoolean());
            }
            assertEquals(1, receive.stream().filter(Boolean::booleanValue).count(), "the first imported holds it, the other gets no codes: " + receive);
        } finally {
            realm.delete();
        }
    }

    @Test
    void numbersInAPartialImportAndTheAdminApiGetTheirIndexToo() {
        TestRealm realm = TestRealm.create("partial", r -> TestRealm.withPhoneSignIn(r, server, false));
        try {
            AdminApi.Response imported = realm.admin().post(realm.path("/partialImport"),
                    Map.of("ifResourceExists", "FAIL", "users", List.of(TestRealm.withSmsNumber(TestRealm.userWithPassword("partial-one"), "+49 151 95000083"))));
            assertEquals(200, imported.status(), imported.body());
            signInByPhone(realm, "+49 151 95000083", "83");

            AdminApi.Response created = realm.admin().post(realm.path("/users"), TestRealm.withSmsNumber(TestRealm.userWithPassword("created-one"), "+49 151 95000084"));
            assertEquals(201, created.status(), created.body());
            signInByPhone(realm, "+49 151 95000084", "84");
        } finally {
            realm.delete();
        }
    }

    @Test
    void numbersFromOutsideAreCheckedWhateverIndexTheyCarry() {
        TestRealm realm = TestRealm.create("forged", r -> TestRealm.withPhoneSignIn(r, server, false));
        try {
            int mark = server.mark();
            AdminApi.Response premium = realm.admin().post(realm.path("/users"), TestRealm.withSmsCredential(
                    TestRealm.userWithPassword("forged-premium"), "{\"phone\":\"+449090000000\",\"phoneIndex\":\"x\"}"));
            assertEquals(201, premium.status(), premium.body());
            AdminApi.Response mobile = realm.admin().post(realm.path("/users"), TestRealm.withSmsCredential(
                    TestRealm.userWithPassword("forged-index"), "{\"phone\":\"+49 151 95000085\",\"phoneIndex\":\"x\"}"));
            assertEquals(201, mobile.status(), mobile.body());

            signInByPhone(realm, "+49 151 95000085", "85");
            assertTrue(server.awaitLine(mark, line -> line.contains("holds no number codes may go to (smsPhoneNotMobile)"),
                    Duration.ofSeconds(5)).isPresent(), "the premium-rate number is reported");
            int sent = sms.mark();
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("forged-premium", TestRealm.PASSWORD);
                assertEquals("login-sms-phone.ftl", browser.template(), "asked to enroll a number instead: " + browser.text());
            }
            assertEquals(0, sms.countSince(sent, "00"), "no code to the premium-rate number");
        } finally {
            realm.delete();
        }
    }

    private static void signInByPhone(TestRealm realm, String number, String lastTwoDigits) {
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.phoneAuthUrl()).fill("phone", number).submit("send");
            browser.fill("code", sms.awaitCode(mark, lastTwoDigits)).submit("verify");
            assertTrue(browser.isLoggedIn(), "found by its index: " + browser.text());
        }
    }
}
