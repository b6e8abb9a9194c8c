package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Step-up with Keycloak's "Condition - Level of Authentication": the password is level 1, the SMS
 * code level 2; an application asks for level 2 with {@code acr_values=2}.
 */
class StepUpIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("step-up", StepUpIT::levelFlows);
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void level2AsksForTheSmsCodeAndTheTokenSaysSo() throws Exception {
        enrolledAtLevel2("stepping-up", "+49 151 90000071", "71");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("stepping-up", TestRealm.PASSWORD);
            assertTrue(browser.isLoggedIn(), "level 1: the password alone");
            assertEquals("1", acr(browser));

            int mark = sms.mark();
            browser.open(realm.authUrl() + "&acr_values=2");
            assertEquals("login-sms-code.ftl", browser.template(), "the session is level 1 now: level 2 asks for the SMS code");
            browser.fill("code", sms.awaitCode(mark, "71")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
            assertEquals("2", acr(browser));
        }
    }

    @Test
    void deletingTheNumberAsksForLevel2Again() {
        String userId = enrolledAtLevel2("deleting-number", "+49 151 90000072", "72");
        String credentialId = (String) realm.smsCredentials(userId).get(0).get("id");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("deleting-number", TestRealm.PASSWORD);
            assertTrue(browser.isLoggedIn(), "level 1: the password alone");

            int mark = sms.mark();
            browser.open(realm.authUrl() + "&kc_action=delete_credential:" + credentialId);
            assertEquals("login-sms-code.ftl", browser.template(), "removing an SMS number needs the level it gives");
            browser.fill("code", sms.awaitCode(mark, "72")).submit("verify");
            assertEquals("delete-credential.ftl", browser.template(), browser.text());
            browser.submitForm("//form[.//*[@name='accept' or @id='kc-accept']]");
        }
        assertEquals(0, realm.smsCredentials(userId).size());
    }

    /** A user who enrolled a number when an application first asked for level 2. */
    private static String enrolledAtLevel2(String username, String phone, String lastTwoDigits) {
        String userId = realm.createUser(username);
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl() + "&acr_values=2").login(username, TestRealm.PASSWORD);
            Steps.enrollOnPhonePage(browser, sms, phone, lastTwoDigits);
        }
        return userId;
    }

    /** The {@code acr} of the ID token for the code the browser came back with. */
    private static String acr(Browser browser) throws Exception {
        String code = URI.create(browser.url()).getQuery().replaceAll(".*(?:^|&)code=([^&]+).*", "$1");
        String form = "grant_type=authorization_code&client_id=" + TestRealm.CLIENT_ID + "&code=" + AdminApi.enc(code)
                + "&redirect_uri=" + AdminApi.enc(TestRealm.REDIRECT_URI);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(KeycloakServer.BASE_URL + "/realms/" + realm.name() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        ObjectMapper json = new ObjectMapper();
        String idToken = json.readTree(response.body()).path("id_token").asText();
        JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8));
        return claims.path("acr").asText();
    }

    /** Password at level 1, the SMS code at level 2, under "Condition - Level of Authentication". */
    private static void levelFlows(RealmRepresentation realm) {
        List<AuthenticatorConfigRepresentation> configs = new ArrayList<>(realm.getAuthenticatorConfig());
        configs.add(loa("level 1", "1", "36000"));
        configs.add(loa("level 2", "2", "300"));
        realm.setAuthenticatorConfig(configs);

        AuthenticationFlowRepresentation top = flow("step-up browser", true,
                step("auth-cookie", "ALTERNATIVE", null), subFlow("step-up forms", "ALTERNATIVE"));
        AuthenticationFlowRepresentation forms = flow("step-up forms", false,
                subFlow("step-up level 1", "CONDITIONAL"), subFlow("step-up level 2", "CONDITIONAL"));
        AuthenticationFlowRepresentation level1 = flow("step-up level 1", false,
                step("conditional-level-of-authentication", "REQUIRED", "level 1"), step("auth-username-password-form", "REQUIRED", null));
        AuthenticationFlowRepresentation level2 = flow("step-up level 2", false,
                step("conditional-level-of-authentication", "REQUIRED", "level 2"), step("sms-otp-form", "REQUIRED", null));
        List<AuthenticationFlowRepresentation> flows = new ArrayList<>(realm.getAuthenticationFlows());
        flows.addAll(List.of(top, forms, level1, level2));
        realm.setAuthenticationFlows(flows);
        realm.setBrowserFlow("step-up browser");
    }

    private static AuthenticatorConfigRepresentation loa(String alias, String level, String maxAge) {
        AuthenticatorConfigRepresentation config = new AuthenticatorConfigRepresentation();
        config.setAlias(alias);
        config.setConfig(new HashMap<>(Map.of("loa-condition-level", level, "loa-max-age", maxAge)));
        return config;
    }

    private static AuthenticationFlowRepresentation flow(String alias, boolean topLevel, AuthenticationExecutionExportRepresentation... steps) {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(topLevel);
        List<AuthenticationExecutionExportRepresentation> list = new ArrayList<>(List.of(steps));
        for (int i = 0; i < list.size(); i++) {
            list.get(i).setPriority(10 * (i + 1));
        }
        flow.setAuthenticationExecutions(list);
        return flow;
    }

    private static AuthenticationExecutionExportRepresentation step(String authenticator, String requirement, String config) {
        AuthenticationExecutionExportRepresentation step = TestRealm.execution(authenticator, requirement);
        step.setAuthenticatorConfig(config);
        return step;
    }

    private static AuthenticationExecutionExportRepresentation subFlow(String alias, String requirement) {
        AuthenticationExecutionExportRepresentation step = new AuthenticationExecutionExportRepresentation();
        step.setFlowAlias(alias);
        step.setAuthenticatorFlow(true);
        step.setRequirement(requirement);
        return step;
    }
}
