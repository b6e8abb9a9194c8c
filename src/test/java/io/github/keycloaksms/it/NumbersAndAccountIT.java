package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.keycloak.representations.idm.RealmRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

/** Several numbers per user, application-initiated enrollment, and the Account Console's API. */
class NumbersAndAccountIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("numbers", r -> TestRealm.smsConfig(r).put("resendCooldown", "0"));
    }

    @AfterAll
    static void deleteRealm() {
        realm.delete();
    }

    private static String aiaUrl() {
        return realm.authUrl() + "&kc_action=sms-register";
    }

    @Test
    void aSecondNumberIsAddedByTheApplicationAndThenOfferedAtLogin() {
        String userId = realm.createUser("two-numbers");
        try (Browser browser = new Browser()) {
            Steps.loginEnrolling(browser, realm, sms, "two-numbers", "+49 151 10000011", "11");
            browser.open(aiaUrl());
            assertEquals("login-sms-phone.ftl", browser.template());
            Steps.enrollOnPhonePage(browser, sms, "+43 664 1234522", "22");
            assertTrue(browser.url().contains("kc_action_status=success"), browser.url());
        }
        assertEquals(Set.of(Steps.unbroken("+49 ••• •••• 11"), Steps.unbroken("+43 ••• •••• 22")),
                realm.smsCredentials(userId).stream().map(c -> (String) c.get("userLabel")).collect(Collectors.toSet()));

        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).login("two-numbers", TestRealm.PASSWORD);
            assertEquals("login-sms-code.ftl", browser.template());
            assertEquals(0, sms.countSince(mark), "with two numbers nothing is sent before the user picks one");
            String austrian = realm.smsCredentials(userId).stream()
                    .filter(c -> c.get("userLabel").equals(Steps.unbroken("+43 ••• •••• 22"))).map(c -> (String) c.get("id")).findFirst().orElseThrow();
            browser.submit("selectedCredentialId", austrian);
            String code = sms.awaitCode(mark, "22");
            assertEquals(1, sms.countSince(mark));
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void addingANumberAfterTheMaximumAuthenticationAgeAsksToLogInAgainFirst() {
        TestRealm strict = TestRealm.create("reauth", r -> TestRealm.smsConfig(r).put("max_auth_age", "0"));
        try {
            String userId = Steps.enrolledUser(strict, sms, "reauth-user", "+49 151 10000066", "66");
            try (Browser browser = new Browser()) {
                String code = Steps.loginUntilCodePage(browser, strict, sms, "reauth-user", "66");
                browser.fill("code", code).submit("verify");
                KeycloakServer.sleep(java.time.Duration.ofMillis(1100));
                browser.open(strict.authUrl() + "&kc_action=sms-register");
                assertEquals("login.ftl", browser.template(), "the password again, before a number changes");
                assertTrue(browser.text().contains("reauth-user"), "for the same user");
                int mark = sms.mark();
                browser.fill("password", TestRealm.PASSWORD).submit("login");
                assertEquals("login-sms-code.ftl", browser.template(), "and the second factor");
                browser.fill("code", sms.awaitCode(mark, "66")).submit("verify");
                assertEquals("login-sms-phone.ftl", browser.template());
                Steps.enrollOnPhonePage(browser, sms, "+49 151 10000077", "77");
            }
            assertEquals(2, strict.smsCredentials(userId).size());
        } finally {
            strict.delete();
        }
    }

    @Test
    void cancellingTheApplicationInitiatedEnrollmentChangesNothing() {
        String userId = realm.createUser("aia-cancel");
        try (Browser browser = new Browser()) {
            Steps.loginEnrolling(browser, realm, sms, "aia-cancel", "+49 151 10000033", "33");
            browser.open(aiaUrl());
            assertEquals("login-sms-phone.ftl", browser.template());
            browser.submit("cancel-aia");
            assertTrue(browser.url().startsWith(TestRealm.REDIRECT_URI), browser.url());
            assertTrue(browser.url().contains("kc_action_status=cancelled"), browser.url());
        }
        assertEquals(1, realm.smsCredentials(userId).size());
    }

    @Test
    void theAccountConsoleTheLoginPickerAndTheAdminApiListTheNumbersInOneOrder() {
        String userId = realm.createUser("ordered");
        try (Browser browser = new Browser()) {
            Steps.loginEnrolling(browser, realm, sms, "ordered", "+49 151 10000055", "55");
            browser.open(aiaUrl());
            Steps.enrollOnPhonePage(browser, sms, "+43 664 1234566", "66");
        }
        List<String> enrolled = List.of("+49 ••• •••• 55", "+43 ••• •••• 66");
        List<String> enrolledLabels = enrolled.stream().map(Steps::unbroken).toList();
        Map<String, String> labels = realm.smsCredentials(userId).stream()
                .collect(Collectors.toMap(c -> (String) c.get("id"), c -> (String) c.get("userLabel")));
        assertEquals(enrolledLabels, realm.smsCredentials(userId).stream().map(c -> (String) c.get("userLabel")).toList(), "Keycloak's own list");

        String token = AdminApi.token(realm.name(), TestRealm.CLIENT_ID, "ordered", TestRealm.PASSWORD);
        List<String> accountConsole = new java.util.ArrayList<>();
        for (JsonNode type : realm.admin().asUser("GET", "/realms/" + realm.name() + "/account/credentials", token).json()) {
            if (type.get("type").asText().equals("sms")) {
                type.get("userCredentialMetadatas").forEach(m -> accountConsole.add(m.get("credential").get("userLabel").asText()));
            }
        }
        assertEquals(enrolledLabels, accountConsole, "the Account Console");

        List<String> adminApi = new java.util.ArrayList<>();
        realm.admin().get(realm.path("/sms/users/" + userId + "/numbers")).json().forEach(n -> adminApi.add(n.get("masked").asText()));
        assertEquals(enrolled, adminApi, "the admin API");

        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("ordered", TestRealm.PASSWORD);
            List<String> picker = browser.html().<org.htmlunit.html.HtmlButton>getByXPath("//button[@name='selectedCredentialId']")
                    .stream().map(button -> labels.get(button.getAttribute("value"))).toList();
            assertEquals(enrolledLabels, picker, "the login picker");
        }
    }

    @Test
    void aResendSaysOnceThatANewCodeWentOut() {
        Steps.enrolledUser(realm, sms, "resender", "+49 151 10000077", "77");
        try (Browser browser = new Browser()) {
            Steps.loginUntilCodePage(browser, realm, sms, "resender", "77");
            assertTrue(browser.text().contains("We sent a code by SMS to +49 ••• •••• 77."), browser.text());
            int mark = sms.mark();
            browser.submit("resend");
            String code = sms.awaitCode(mark, "77");
            String text = browser.text();
            assertTrue(text.contains("We sent a new code to +49 ••• •••• 77. Please use the code from the newest SMS."), text);
            assertFalse(text.contains("We sent a code by SMS"), "said once: " + text);
            assertEquals(1, text.split("newest SMS", -1).length - 1, "said once: " + text);
            browser.fill("code", code).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void theAccountApiListsSmsAndRemovesANumber() {
        String userId = Steps.enrolledUser(realm, sms, "account-remove", "+49 151 10000044", "44");
        String token = AdminApi.token(realm.name(), TestRealm.CLIENT_ID, "account-remove", TestRealm.PASSWORD);
        AdminApi.Response listed = realm.admin().asUser("GET", "/realms/" + realm.name() + "/account/credentials", token);
        assertEquals(200, listed.status(), listed.body());
        JsonNode smsType = null;
        for (JsonNode type : listed.json()) {
            if (type.get("type").asText().equals("sms")) {
                smsType = type;
            }
        }
        assertTrue(smsType != null, "the Account Console lists SMS: " + listed.body());
        assertEquals("two-factor", smsType.get("category").asText());
        assertEquals("sms-register", smsType.get("createAction").asText());
        assertTrue(smsType.get("removeable").asBoolean());
        JsonNode credential = smsType.get("userCredentialMetadatas").get(0).get("credential");
        assertEquals(Steps.unbroken("+49 ••• •••• 44"), credential.get("userLabel").asText());

        AdminApi.Response removed = realm.admin().asUser("DELETE",
                "/realms/" + realm.name() + "/account/credentials/" + credential.get("id").asText(), token);
        assertEquals(204, removed.status(), removed.body());
        assertEquals(List.of(), realm.smsCredentials(userId));
    }

    @Test
    void theAccountConsoleOffersAnAuthenticatorAppOnlyWhereAFlowAsksForOne() {
        realm.createUser("sms-only");
        assertEquals(Set.of("password", "sms"), offeredTypes(realm, "sms-only"), "no flow of the demo realm asks for an app");

        TestRealm both = TestRealm.create("app-and-sms", r -> r.getAuthenticationFlows().stream()
                .filter(f -> f.getAlias().equals("browser with SMS forms")).findFirst().orElseThrow()
                .getAuthenticationExecutions().add(TestRealm.execution("auth-otp-form", "ALTERNATIVE")));
        try {
            both.createUser("app-user");
            assertEquals(Set.of("password", "sms", "otp"), offeredTypes(both, "app-user"));
        } finally {
            both.delete();
        }
    }

    @Test
    void theDemoRealmAsShippedGivesItsUsersAWorkingAccountConsole() {
        RealmRepresentation demo = TestRealm.demoRealm();
        assertEquals(201, realm.admin().post("/admin/realms", demo).status());
        try {
            for (String user : new String[] {"alice", "bob"}) {
                String token = AdminApi.token(demo.getRealm(), "admin-cli", user, user);
                AdminApi.Response listed = realm.admin().asUser("GET", "/realms/" + demo.getRealm() + "/account/credentials", token);
                assertEquals(200, listed.status(), user + ": " + listed.body());
            }
        } finally {
            realm.admin().delete("/admin/realms/" + demo.getRealm());
        }
    }

    /** The credential types the Account Console offers the user under "Signing in". */
    private static Set<String> offeredTypes(TestRealm in, String username) {
        String token = AdminApi.token(in.name(), TestRealm.CLIENT_ID, username, TestRealm.PASSWORD);
        AdminApi.Response listed = in.admin().asUser("GET", "/realms/" + in.name() + "/account/credentials", token);
        assertEquals(200, listed.status(), listed.body());
        Set<String> types = new HashSet<>();
        listed.json().forEach(type -> types.add(type.get("type").asText()));
        return types;
    }

    @Test
    void anAdminCanMakeEnrollmentADefaultActionForNewUsers() {
        TestRealm plain = TestRealm.create("default-action", r -> {
            r.setBrowserFlow("browser");
            TestRealm.smsAction(r).setDefaultAction(true);
        });
        try {
            String userId = plain.createUser("new-user");
            JsonNode user = plain.admin().get(plain.path("/users/" + userId)).json();
            assertEquals("sms-register", user.get("requiredActions").get(0).asText());
            try (Browser browser = new Browser()) {
                Steps.loginEnrolling(browser, plain, sms, "new-user", "+49 151 10000055", "55");
            }
            List<Map<String, Object>> credentials = plain.smsCredentials(userId);
            assertEquals(1, credentials.size());
        } finally {
            plain.delete();
        }
    }
}
