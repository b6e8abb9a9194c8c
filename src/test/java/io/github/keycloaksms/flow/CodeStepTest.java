package io.github.keycloaksms.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.code.Verification.Outcome;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.limits.MemoryStore;

/** The decisions every page that sends a code shares, without a Keycloak: the session, realm and store as far as they are used. */
class CodeStepTest {

    private final AuthenticationSessionModel authSession = AuthNotes.session("root-1", "tab-1");
    private final KeycloakSession session = keycloakSession(new MemoryStore());
    private final SmsSettings settings = settings(Map.of("gateway", "log", "codeLength", "8", "maxAttempts", "2"));

    @Test
    void aCodeOutForATargetMakesAReloadShowItAgainAndANewOneAResend() {
        CodeStep login = step(CodeSession.Scope.LOGIN, "login-step");
        assertFalse(login.hasCode());

        login.issue("12345678", "credential-1", Instant.now());

        assertTrue(login.hasCode());
        assertTrue(login.isResendTo("credential-1"));
        assertFalse(login.isResendTo("credential-2"));
    }

    @Test
    void aRightCodeIsAcceptedOnceForWhatItWasIssuedFor() {
        CodeStep login = step(CodeSession.Scope.LOGIN, "login-step");
        login.issue("12345678", "credential-1", Instant.now());

        assertEquals(Outcome.ACCEPTED, login.check("12345678").outcome());
        assertEquals(Outcome.NO_CODE, login.check("12345678").outcome());
    }

    @Test
    void aLoginCodeProvesNothingToEnrollmentInTheSameSession() {
        step(CodeSession.Scope.LOGIN, "login-step").issue("12345678", "+4915123456781", Instant.now());
        CodeStep enrollment = step(CodeSession.Scope.ENROLLMENT, null);

        assertFalse(enrollment.hasCode());
        assertEquals(Outcome.NO_CODE, enrollment.check("12345678").outcome());
    }

    @Test
    void eachResetStepKeepsItsOwnCode() {
        step(CodeSession.Scope.RESET, "reset-step-1").issue("12345678", "account", Instant.now());

        assertFalse(step(CodeSession.Scope.RESET, "reset-step-2").hasCode());
        assertTrue(step(CodeSession.Scope.RESET, "reset-step-1").hasCode());
    }

    @Test
    void wrongCodesAreCountedAndAnsweredWithTheAttemptsLeft() {
        CodeStep login = step(CodeSession.Scope.LOGIN, "login-step");
        login.issue("12345678", "credential-1", Instant.now());

        var wrong = login.check("00000000");
        assertTrue(wrong.countsAsWrong());
        assertMessage("smsCodeInvalid", login.rejection(wrong));
        assertEquals(1, login.rejection(wrong).getParameters()[0]);
        assertMessage("smsCodeMalformed", login.rejection(login.check("123")));
        assertMessage("smsCodeExhausted", login.rejection(login.check("00000001")));
    }

    @Test
    void aRightCodeNobodyReceivedReadsLikeAWrongOne() {
        CodeStep reset = step(CodeSession.Scope.RESET, "reset-step-1");
        reset.issue("12345678", "account", Instant.now());

        var accepted = reset.check("12345678");

        assertEquals(Outcome.ACCEPTED, accepted.outcome());
        assertTrue(accepted.asWrong().countsAsWrong());
        assertMessage("smsCodeInvalid", reset.rejection(accepted.asWrong()));
    }

    @Test
    void theCodePageHasTheCodesLengthAndTheSecondsUntilANewCode() {
        CodeStep login = step(CodeSession.Scope.LOGIN, "login-step");
        assertEquals(0, login.codePage().getResendInSeconds());

        login.codes().markSent(Instant.now());

        SmsPage page = login.codePage();
        assertEquals(8, page.getCodeLength());
        assertTrue(page.getResendInSeconds() > 25 && page.getResendInSeconds() <= 30, "" + page.getResendInSeconds());
    }

    @Test
    void eachKindOfStepGetsItsOwnPage() {
        assertTrue(step(CodeSession.Scope.ENROLLMENT, null).page().isEnrollment());
        assertTrue(step(CodeSession.Scope.PHONE_SIGN_IN, "phone-step").page().isPhoneSignIn());
        assertTrue(step(CodeSession.Scope.RESET, "reset-step-1").page().isReset());
        SmsPage login = step(CodeSession.Scope.LOGIN, "login-step").page();
        assertFalse(login.isEnrollment() || login.isPhoneSignIn() || login.isReset());
    }

    private CodeStep step(CodeSession.Scope scope, String executionId) {
        RealmModel realm = proxy(RealmModel.class, Map.of("getId", "realm-1", "getName", "test"));
        StepContext context = new StepContext(session, realm, authSession, () -> null, null, null, executionId,
                () -> {
                    throw new UnsupportedOperationException("no pages here");
                }, page -> {
                }, page -> {
                });
        return new CodeStep(context, scope, settings);
    }

    private static void assertMessage(String key, FormMessage message) {
        assertEquals(key, message.getMessage());
        assertEquals(SmsPage.CODE_FIELD, message.getField());
    }

    private static SmsSettings settings(Map<String, String> config) {
        try {
            return SmsSettings.parse(config);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeycloakSession keycloakSession(SingleUseObjectProvider store) {
        return proxy(KeycloakSession.class, Map.of("singleUseObjects", store));
    }

    /** An interface that answers the named methods with the given values and fails every other call. */
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(CodeStepTest.class.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (answers.containsKey(method.getName())) {
                return answers.get(method.getName());
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }
}
