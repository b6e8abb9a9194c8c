package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/** The SMS step in the flows admins build: conditional on enrollment, or one of several second factors. */
class FlowsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());

    @Test
    void underConditionUserConfiguredOnlyEnrolledUsersAreAskedForACode() {
        TestRealm realm = TestRealm.create("conditional", r -> secondFactorFlow(r, "CONDITIONAL",
                TestRealm.execution("conditional-user-configured", "REQUIRED"), TestRealm.execution("sms-otp-form", "REQUIRED")));
        try {
            realm.createUser("maybe-sms");
            try (Browser browser = new Browser()) {
                browser.open(realm.authUrl()).login("maybe-sms", TestRealm.PASSWORD);
                assertTrue(browser.isLoggedIn(), "no SMS credential, no SMS step: " + browser.text());

                browser.open(realm.authUrl() + "&kc_action=sms-register");
                Steps.enrollOnPhonePage(browser, sms, "+49 151 40000011", "11");
            }
            try (Browser browser = new Browser()) {
                Steps.logIn(browser, realm, sms, "maybe-sms", "11");
            }
        } finally {
            realm.delete();
        }
    }

    @Test
    void tryAnotherWayOffersSmsBesideTheAuthenticatorApp() {
        TestRealm realm = TestRealm.create("another-way", r -> {
            secondFactorFlow(r, "REQUIRED", TestRealm.execution("auth-otp-form", "ALTERNATIVE"), TestRealm.execution("sms-otp-form", "ALTERNATIVE"));
            r.setUsers(List.of(userWithOtpAndSms()));
        });
        try (Browser browser = new Browser()) {
            int mark = sms.mark();
            browser.open(realm.authUrl()).login("two-factors", TestRealm.PASSWORD);
            browser.submitForm("//form[@id='kc-select-try-another-way-form']");
            assertEquals("select-authenticator.ftl", browser.template());
            assertTrue(browser.text().contains("Enter a code sent by SMS to your mobile phone."), browser.text());

            browser.submitForm("//li[.//h2[contains(normalize-space(.), 'SMS code')]]//form");
            assertEquals("login-sms-code.ftl", browser.template());
            browser.fill("code", sms.awaitCode(mark, "11")).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        } finally {
            realm.delete();
        }
    }

    /** Replaces the demo flow's SMS step by a sub-flow with these executions. */
    private static void secondFactorFlow(RealmRepresentation realm, String requirement,
                                         AuthenticationExecutionExportRepresentation... executions) {
        AuthenticationFlowRepresentation forms = realm.getAuthenticationFlows().stream()
                .filter(f -> f.getAlias().equals("browser with SMS forms")).findFirst().orElseThrow();
        AuthenticationExecutionExportRepresentation subFlow = new AuthenticationExecutionExportRepresentation();
        subFlow.setFlowAlias("second factor");
        subFlow.setAuthenticatorFlow(true);
        subFlow.setRequirement(requirement);
        subFlow.setPriority(20);
        forms.setAuthenticationExecutions(List.of(forms.getAuthenticationExecutions().get(0), subFlow));

        AuthenticationFlowRepresentation secondFactor = new AuthenticationFlowRepresentation();
        secondFactor.setAlias("second factor");
        secondFactor.setProviderId("basic-flow");
        secondFactor.setTopLevel(false);
        List<AuthenticationExecutionExportRepresentation> list = new ArrayList<>(List.of(executions));
        for (int i = 0; i < list.size(); i++) {
            list.get(i).setPriority(10 * (i + 1));
        }
        secondFactor.setAuthenticationExecutions(list);
        List<AuthenticationFlowRepresentation> flows = new ArrayList<>(realm.getAuthenticationFlows());
        flows.add(secondFactor);
        realm.setAuthenticationFlows(flows);
    }

    private static UserRepresentation userWithOtpAndSms() {
        UserRepresentation user = TestRealm.userWithTotp("two-factors", "JBSWY3DPEHPK3PXP");
        CredentialRepresentation phone = new CredentialRepresentation();
        phone.setType("sms");
        phone.setUserLabel("+49 ••• •••• 11");
        phone.setSecretData("{}");
        phone.setCredentialData("{\"phone\":\"+4915140000111\"}");
        List<CredentialRepresentation> credentials = new ArrayList<>(user.getCredentials());
        credentials.add(phone);
        user.setCredentials(credentials);
        return user;
    }
}
