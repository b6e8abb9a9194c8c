package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** One number per realm, proven before anyone learns it is taken; verify-only keeps just a keyed hash. */
class UniqueAndVerifyOnlyIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.createWithoutLockoutOrCooldown("unique");
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    @Test
    void aNumberHeldByAnotherAccountIsRefusedOnlyAfterTheCodeAndFreedWhenRemoved() {
        String ownerId = Steps.enrolledUser(realm, sms, "number-owner", "+49 151 80000011", "11");
        String otherId = Steps.failsToEnrollTakenNumber(realm, sms, "number-taker", "0151 800 000 11", "11");

        String token = AdminApi.token(realm.name(), TestRealm.CLIENT_ID, "number-owner", TestRealm.PASSWORD);
        String credentialId = (String) realm.smsCredentials(ownerId).get(0).get("id");
        assertEquals(204, realm.admin().asUser("DELETE", "/realms/" + realm.name() + "/account/credentials/" + credentialId, token).status());

        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("number-taker", TestRealm.PASSWORD);
            Steps.enrollOnPhonePage(browser, sms, "+49 151 80000011", "11");
        }
        assertEquals(1, realm.smsCredentials(otherId).size());
    }

    @Test
    void reEnrollingOwnNumberIsAnsweredBeforeAnySmsAndAddsNoSecondCredential() {
        String userId = Steps.enrolledUser(realm, sms, "same-again", "+49 151 80000022", "22");
        try (Browser browser = new Browser()) {
            Steps.logIn(browser, realm, sms, "same-again", "22");
            browser.open(realm.authUrl() + "&kc_action=sms-register");
            int mark = sms.mark();
            browser.fill("phone", "0151 80000022").submit("send");
            assertTrue(browser.fieldError("phone").startsWith("This number is already on your account."), browser.text());
            assertEquals(0, sms.countSince(mark));
        }
        assertEquals(1, realm.smsCredentials(userId).size());
    }

    @Test
    void verifyOnlyKeepsOnlyTheIndexAndTheNumberCannotLogIn() {
        TestRealm signUp = TestRealm.create("verify-only", r -> {
            r.setBrowserFlow("browser");
            TestRealm.smsAction(r).setDefaultAction(true);
            Map<String, String> config = TestRealm.smsConfig(r);
            config.put("verifyOnly", "true");
            config.put("resendCooldown", "0");
        });
        try {
            String userId = signUp.createUser("verified-once");
            try (Browser browser = new Browser()) {
                Steps.loginEnrolling(browser, signUp, sms, "verified-once", "+49 151 80000033", "33");
            }
            List<Map<String, Object>> credentials = signUp.smsCredentials(userId);
            assertEquals(1, credentials.size());
            String data = (String) credentials.get(0).get("credentialData");
            assertEquals("{}", data, "a verify-only number shows nothing, not even masked: only its index is kept, as secret data");

            int mark = sms.mark();
            try (Browser browser = new Browser()) {
                browser.open(signUp.authUrl()).login("verified-once", TestRealm.PASSWORD);
                assertTrue(browser.isLoggedIn(), "a verify-only number is no second factor: " + browser.text());
            }
            assertEquals(0, sms.countSince(mark));

            JsonNode realmRep = signUp.admin().get("/admin/realms/" + signUp.name()).json();
            assertFalse(realmRep.toString().contains("80000033"));

            Steps.failsToEnrollTakenNumber(signUp, sms, "second-account", "+49 151 80000033", "33");
        } finally {
            signUp.delete();
        }
    }

    @Test
    void theIndexKeyIsNeitherARealmAttributeNorInAPartialExport() {
        TestRealm exported = TestRealm.createWithoutLockoutOrCooldown("exported");
        try {
            Steps.enrolledUser(exported, sms, "before-export", "+49 151 80000077", "77");
            assertEquals("**********", exported.numberKeyComponent().path("config").path("secret").get(0).asText());
            JsonNode export = exported.admin().post(exported.path("/partial-export"), Map.of()).json();
            assertTrue(export.path("attributes").path("smsNumberIndexKey").isMissingNode());
            for (JsonNode component : export.path("components").path("io.github.keycloaksms.numbers.NumberKeyComponent")) {
                assertEquals("**********", component.path("config").path("secret").get(0).asText(), export.toString());
            }
        } finally {
            exported.delete();
        }
    }
}
