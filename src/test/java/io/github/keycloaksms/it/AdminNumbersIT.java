package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.htmlunit.html.HtmlPage;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Numbers from admins (the {@code sms} admin resource) and from a profile attribute, through to a login. */
class AdminNumbersIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("admin-numbers", r -> {
            r.setAdminEventsEnabled(true);
            r.setAdminEventsDetailsEnabled(true);
            TestRealm.smsConfig(r).put("phoneAttribute", "phoneNumber");
        });
        declarePhoneNumberAttribute();
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void aVerifiedNumberWorksAtTheNextLoginAndItsEventShowsItMasked() {
        String userId = realm.createUser("given-verified");
        AdminApi.Response added = realm.admin().post(numbers(userId), Map.of("phone", "0151 70000041", "verified", true,
                "label", "Desk phone"));
        assertEquals(201, added.status(), added.body());
        assertEquals("+49 ••• •••• 41", added.json().path("masked").asText());
        assertTrue(added.json().path("verified").asBoolean());
        JsonNode listed = realm.admin().get(numbers(userId)).json();
        assertEquals("+4915170000041", listed.get(0).path("phone").asText());
        assertEquals(Steps.unbroken("Desk phone (+49 ••• •••• 41)"), listed.get(0).path("label").asText());

        try (Browser browser = new Browser()) {
            Steps.logIn(browser, realm, sms, "given-verified", "41");
        }
        List<JsonNode> events = new java.util.ArrayList<>();
        realm.admin().get(realm.path("/admin-events?operationTypes=CREATE")).json().forEach(e -> {
            if (e.path("resourcePath").asText().contains(userId + "/numbers/")) {
                events.add(e);
            }
        });
        assertEquals(1, events.size(), "one admin event for the number");
        String representation = events.get(0).path("representation").asText();
        assertTrue(representation.contains("•••• 41"), representation);
        assertFalse(representation.contains("70000041"), "no full number in admin events: " + representation);
    }

    @Test
    void aPendingNumberIsProvedAtTheNextLogin() {
        String userId = realm.createUser("given-pending");
        assertEquals(201, realm.admin().post(numbers(userId),
                Map.of("phone", "+49 151 70000042", "verified", false, "label", "Work phone")).status());
        assertFalse(realm.admin().get(numbers(userId)).json().get(0).path("verified").asBoolean());

        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("given-pending", TestRealm.PASSWORD);
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.text().contains("Your administrator added the number Work phone (+49 ••• •••• 42) to your account."),
                    browser.text());
            HtmlPage page = browser.html();
            assertEquals(1, page.getByXPath("//button[contains(@class, 'pf-m-primary')]").size(), "one primary action: " + page.asXml());
            assertTrue(page.getElementById("kc-sms-send-pending").getAttribute("class").contains("pf-m-primary"));
            assertTrue(page.getElementById("kc-sms-send-pending").hasAttribute("autofocus"), "focus on the admin's number");
            assertFalse(page.getElementById("phone").hasAttribute("autofocus"));
            int mark = sms.mark();
            browser.submit("selectedCredentialId");
            assertEquals("login-sms-code.ftl", browser.template());
            browser.fill("code", sms.awaitCode(mark, "42")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        JsonNode listed = realm.admin().get(numbers(userId)).json();
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("verified").asBoolean(), "proved now: " + listed);
    }

    @Test
    void aPendingNumberBesideAProvedOneIsAskedForAfterTheLoginCode() {
        String userId = Steps.enrolledUser(realm, sms, "given-second", "+49 151 70000050", "50");
        assertEquals(201, realm.admin().post(numbers(userId), Map.of("phone", "+49 151 70000051", "verified", false)).status());
        try (Browser browser = new Browser()) {
            String code = Steps.loginUntilCodePage(browser, realm, sms, "given-second", "50");
            browser.fill("code", code).submit("verify");
            assertEquals("login-sms-phone.ftl", browser.template(), "the pending number is asked for once the login is done");
            assertTrue(browser.text().contains("+49 ••• •••• 51"), browser.text());
            int mark = sms.mark();
            browser.submit("selectedCredentialId");
            browser.fill("code", sms.awaitCode(mark, "51")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        JsonNode listed = realm.admin().get(numbers(userId)).json();
        assertEquals(2, listed.size());
        listed.forEach(number -> assertTrue(number.path("verified").asBoolean(), listed.toString()));
    }

    @Test
    void aPendingNumberCanBeReplacedByAnotherProvedOne() {
        String userId = realm.createUser("given-wrong");
        assertEquals(201, realm.admin().post(numbers(userId), Map.of("phone", "+49 151 70000043", "verified", false)).status());
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("given-wrong", TestRealm.PASSWORD);
            Steps.enrollOnPhonePage(browser, sms, "+49 151 70000044", "44");
        }
        JsonNode listed = realm.admin().get(numbers(userId)).json();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("+4915170000044", listed.get(0).path("phone").asText());
        assertTrue(listed.get(0).path("verified").asBoolean());
    }

    @Test
    void onlyAdminsWhoMayManageTheUserChangeNumbers() {
        String userId = realm.createUser("managed-user");
        String helpdeskId = realm.createUser("helpdesk");
        grantRealmManagementRole(helpdeskId, "view-users");
        realm.createUser("nobody");
        String helpdesk = AdminApi.token(realm.name(), TestRealm.CLIENT_ID, "helpdesk", TestRealm.PASSWORD);
        String nobody = AdminApi.token(realm.name(), TestRealm.CLIENT_ID, "nobody", TestRealm.PASSWORD);

        assertEquals(200, realm.admin().asUser("GET", numbers(userId), helpdesk).status(), "viewing users lets one list");
        AdminApi.Response refused = realm.admin().asUser("POST", numbers(userId), helpdesk, Map.of("phone", "+49 151 70000046"));
        assertEquals(403, refused.status(), refused.body());
        assertEquals(403, realm.admin().asUser("GET", numbers(userId), nobody).status());
        assertEquals(0, realm.admin().get(numbers(userId)).json().size(), "nothing was added");
    }

    @Test
    void badInputClashesAndUnknownIdsAreJsonErrorsThatChangeNothing() {
        String userId = realm.createUser("bad-input");
        String otherId = realm.createUser("holds-47");
        assertEquals(201, realm.admin().post(numbers(otherId), Map.of("phone", "+49 151 70000047")).status());

        AdminApi.Response invalid = realm.admin().post(numbers(userId), Map.of("phone", "+49 30 1234567"));
        assertEquals(400, invalid.status());
        assertEquals("invalid_phone", invalid.json().path("error").asText());
        assertEquals("not a mobile number: it cannot receive SMS", invalid.json().path("errorMessage").asText());
        AdminApi.Response taken = realm.admin().post(numbers(userId), Map.of("phone", "+49 151 70000047"));
        assertEquals(409, taken.status());
        assertEquals("number_in_use", taken.json().path("error").asText());
        assertEquals(404, realm.admin().get(numbers("no-such-user")).status());
        assertEquals(0, realm.admin().get(numbers(userId)).json().size());

        String id = realm.admin().get(numbers(otherId)).json().get(0).path("id").asText();
        assertEquals(204, realm.admin().delete(numbers(otherId) + "/" + id).status());
        assertEquals(404, realm.admin().delete(numbers(otherId) + "/" + id).status());
        assertEquals(0, realm.admin().get(numbers(otherId)).json().size());
    }

    @Test
    void aProfileNumberBecomesACredentialOnlyAfterItsCode() {
        String userId = realm.createUser("from-directory");
        setPhoneNumberAttribute(userId, "+49 151 70000048");
        assertEquals(0, realm.admin().get(numbers(userId)).json().size(), "never trusted without proof");

        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("from-directory", TestRealm.PASSWORD);
            assertEquals("login-sms-phone.ftl", browser.template());
            assertEquals("+49 151 70000048", browser.attribute("phone", "value"), "pre-filled from the profile");
            assertTrue(browser.text().contains("This number is from your profile."), browser.text());
            Steps.enrollOnPhonePage(browser, sms, "+49 151 70000048", "48");
        }
        assertEquals("+4915170000048", realm.admin().get(numbers(userId)).json().get(0).path("phone").asText());

        setPhoneNumberAttribute(userId, "+49 151 70000049");
        try (Browser browser = new Browser()) {
            Steps.logIn(browser, realm, sms, "from-directory", "48");
        }
        JsonNode listed = realm.admin().get(numbers(userId)).json();
        assertEquals(1, listed.size(), "a changed attribute changes no credential: " + listed);
        assertEquals("+4915170000048", listed.get(0).path("phone").asText());
    }

    private static String numbers(String userId) {
        return realm.path("/sms/users/" + userId + "/numbers");
    }

    private static void declarePhoneNumberAttribute() {
        ObjectNode profile = (ObjectNode) realm.admin().get(realm.path("/users/profile")).json();
        ObjectNode attribute = ((ArrayNode) profile.get("attributes")).addObject();
        attribute.put("name", "phoneNumber");
        attribute.put("displayName", "Mobile number");
        ObjectNode permissions = attribute.putObject("permissions");
        permissions.putArray("view").add("admin").add("user");
        permissions.putArray("edit").add("admin");
        AdminApi.Response saved = realm.admin().put(realm.path("/users/profile"), profile);
        assertEquals(200, saved.status(), saved.body());
    }

    private static void setPhoneNumberAttribute(String userId, String phone) {
        UserRepresentation user = realm.admin().get(realm.path("/users/" + userId)).as(new com.fasterxml.jackson.core.type.TypeReference<>() { });
        user.setAttributes(Map.of("phoneNumber", List.of(phone)));
        AdminApi.Response saved = realm.admin().put(realm.path("/users/" + userId), user);
        assertEquals(204, saved.status(), saved.body());
    }

    private static void grantRealmManagementRole(String userId, String roleName) {
        String clientId = realm.admin().get(realm.path("/clients?clientId=realm-management")).json().get(0).path("id").asText();
        JsonNode role = realm.admin().get(realm.path("/clients/" + clientId + "/roles/" + roleName)).json();
        AdminApi.Response granted = realm.admin().post(realm.path("/users/" + userId + "/role-mappings/clients/" + clientId),
                List.of(role));
        assertEquals(204, granted.status(), granted.body());
    }
}
