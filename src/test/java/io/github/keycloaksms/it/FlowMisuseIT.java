package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.models.utils.TimeBasedOTP;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Flows an admin can get wrong, and paths through a flow a user can take, that must neither text
 * a stranger's number nor mix a login's state with an enrollment's.
 */
class FlowMisuseIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static final String TOTP_SECRET = "JBSWY3DPEHPK3PXP";

    @Test
    void afterABareUsernameFormNobodyIsTextedAndNobodyCanEnroll() {
        TestRealm realm = TestRealm.create("username-only", r -> {
            forms(r).getAuthenticationExecutions().get(0).setAuthenticator("auth-username-form");
            r.setUsers(List.of(TestRealm.withSmsNumber(TestRealm.userWithPassword("enrolled-victim"), "+4915173000011")));
        });
        try {
            String victimId = realm.admin().userId(realm.name(), "enrolled-victim");
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.authUrl()).fill("username", "enrolled-victim").submit("login");
                assertEquals(200, browser.status());
                assertTrue(browser.text().contains("Sign-in by SMS is not set up correctly here."), browser.text());
                assertEquals(0, sms.countSince(mark), "the victim got no SMS");
            }
            JsonNode event = realm.admin().get(realm.path("/events?type=LOGIN_ERROR&user=" + victimId)).json().get(0);
            assertEquals("sms_send_failed", event.get("error").asText());
            assertEquals("sms_step_before_authentication", event.get("details").get("reason").asText());

            String noPhoneId = realm.createUser("not-enrolled");
            try (Browser browser = new Browser()) {
                int mark = sms.mark();
                browser.open(realm.authUrl()).fill("username", "not-enrolled").submit("login");
                assertTrue(browser.text().contains("Sign-in by SMS is not set up correctly here."), browser.text());
                assertFalse(browser.has("//input[@name='phone']"), "no way to add a number to someone else's account");
                assertFalse(browser.isLoggedIn());
                assertEquals(0, sms.countSince(mark));
            }
            assertEquals(0, realm.smsCredentials(noPhoneId).size());
        } finally {
            realm.delete();
        }
    }

    @Test
    void inAResetFlowRightAfterChooseUserNobodyIsTexted() {
        TestRealm realm = TestRealm.create("reset-first", r -> {
            AuthenticationFlowRepresentation reset = new AuthenticationFlowRepresentation();
            reset.setAlias("reset with SMS first");
            reset.setProviderId("basic-flow");
            reset.setTopLevel(true);
            reset.setAuthenticationExecutions(new ArrayList<>(List.of(
                    TestRealm.execution("reset-credentials-choose-user", "REQUIRED"), TestRealm.execution("sms-otp-form", "REQUIRED"))));
            reset.getAuthenticationExecutions().get(0).setPriority(10);
            reset.getAuthenticationExecutions().get(1).setPriority(20);
            List<AuthenticationFlowRepresentation> flows = new ArrayList<>(r.getAuthenticationFlows());
            flows.add(reset);
            r.setAuthenticationFlows(flows);
            r.setResetCredentialsFlow("reset with SMS first");
            r.setResetPasswordAllowed(true);
            r.setUsers(List.of(TestRealm.withSmsNumber(TestRealm.userWithPassword("reset-victim"), "+4915173000033")));
        });
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).followLinkText("Forgot Password?");
            browser.fill("username", "reset-victim").submitForm("//form[@id='kc-reset-password-form']");
            assertTrue(browser.text().contains("Sign-in by SMS is not set up correctly here."), browser.text());
            assertEquals(0, sms.countSince(mark), "the account holder got no SMS");
        } finally {
            realm.delete();
        }
    }

    @Test
    void anEnrollmentAfterASwitchFromTheSmsCodeToTheAppStartsWithTheNumberPage() {
        TestRealm realm = TestRealm.create("switch-then-enroll", r -> {
            List<AuthenticationExecutionExportRepresentation> steps = new ArrayList<>(forms(r).getAuthenticationExecutions());
            steps.set(1, subFlow());
            forms(r).setAuthenticationExecutions(steps);
            List<AuthenticationFlowRepresentation> flows = new ArrayList<>(r.getAuthenticationFlows());
            flows.add(secondFactors());
            r.setAuthenticationFlows(flows);
            r.setUsers(List.of(TestRealm.withSmsNumber(TestRealm.userWithTotp("switcher", TOTP_SECRET), "+4915173000022")));
        });
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl() + "&kc_action=sms-register").login("switcher", TestRealm.PASSWORD);
            browser.submitForm("//form[@id='kc-select-try-another-way-form']");
            browser.submitForm("//li[.//h2[contains(normalize-space(.), 'SMS code')]]//form");
            assertEquals("login-sms-code.ftl", browser.template());
            sms.awaitCode(mark, "22");

            browser.submitForm("//form[@id='kc-select-try-another-way-form']");
            browser.submitForm("//li[.//h2[contains(normalize-space(.), 'Authenticator Application')]]//form");
            browser.fill("otp", new TimeBasedOTP("HmacSHA1", 6, 30, 1).generateTOTP(TOTP_SECRET)).submit("login");

            assertEquals(200, browser.status(), browser.text());
            assertEquals("login-sms-phone.ftl", browser.template(), "the enrollment starts afresh, not with the login's target");
        } finally {
            realm.delete();
        }
    }

    private static AuthenticationFlowRepresentation forms(RealmRepresentation realm) {
        return realm.getAuthenticationFlows().stream().filter(f -> f.getAlias().equals("browser with SMS forms")).findFirst().orElseThrow();
    }

    /** The app and SMS as alternatives, after the password. */
    private static AuthenticationFlowRepresentation secondFactors() {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias("second factors");
        flow.setProviderId("basic-flow");
        flow.setTopLevel(false);
        flow.setAuthenticationExecutions(new ArrayList<>(List.of(
                TestRealm.execution("auth-otp-form", "ALTERNATIVE"), TestRealm.execution("sms-otp-form", "ALTERNATIVE"))));
        flow.getAuthenticationExecutions().get(0).setPriority(10);
        flow.getAuthenticationExecutions().get(1).setPriority(20);
        return flow;
    }

    private static AuthenticationExecutionExportRepresentation subFlow() {
        AuthenticationExecutionExportRepresentation subFlow = new AuthenticationExecutionExportRepresentation();
        subFlow.setFlowAlias("second factors");
        subFlow.setAuthenticatorFlow(true);
        subFlow.setRequirement("REQUIRED");
        subFlow.setPriority(20);
        return subFlow;
    }
}
