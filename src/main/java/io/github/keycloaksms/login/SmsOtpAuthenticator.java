package io.github.keycloaksms.login;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.CredentialValidator;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

import jakarta.ws.rs.core.MultivaluedMap;

import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.flow.BruteForceCount;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeSession;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.flow.PriorAuthentication;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Second factor at login: sends a code to one of the user's enrolled numbers and checks it.
 * Wrong codes go through {@code failureChallenge} and count in Keycloak's brute-force detection
 * as OTP failures ({@link BruteForceCount}).
 */
final class SmsOtpAuthenticator implements Authenticator, CredentialValidator<SmsCredentialProvider> {

    private static final Logger LOG = Logger.getLogger(SmsOtpAuthenticator.class);

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        CodeStep.open(context, CodeSession.Scope.LOGIN).filter(step -> mayGoOn(context, step)).ifPresent(step -> {
            List<SmsCredentialModel> numbers = getCredentialProvider(context.getSession()).usableCredentials(context.getUser());
            if (numbers.isEmpty()) {
                // the last number was removed during this login: nothing to send a code to
                context.attempted();
            } else if (step.hasCode() && find(numbers, step.codes().target()).isPresent()) {
                // a reload or the back button: show the page again, send nothing
                step.showCodePage(codePage(step, numbers), null);
            } else if (numbers.size() == 1) {
                send(step, numbers, numbers.get(0), null);
            } else {
                step.showCodePage(step.page().withChoices(choices(numbers)), null);
            }
        });
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        CodeStep.open(context, CodeSession.Scope.LOGIN).filter(step -> mayGoOn(context, step)).ifPresent(step -> {
            MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
            List<SmsCredentialModel> numbers = getCredentialProvider(context.getSession()).usableCredentials(context.getUser());
            Optional<SmsCredentialModel> chosen = find(numbers, form.getFirst(SmsPage.SELECTED_CREDENTIAL));
            Optional<SmsCredentialModel> current = find(numbers, step.codes().target());
            if (chosen.isPresent()) {
                send(step, numbers, chosen.get(), null);
            } else if (form.containsKey(SmsPage.CHANGE_NUMBER) || current.isEmpty()) {
                step.showCodePage(step.page().withChoices(choices(numbers)), null);
            } else if (CodeStep.asksForCode(form)) {
                send(step, numbers, current.get(), step.askedChannel(form));
            } else {
                verify(context, step, numbers, form.getFirst(SmsPage.CODE_FIELD));
            }
        });
    }

    /** @param asked the channel the user chose; null for the realm's order */
    private void send(CodeStep step, List<SmsCredentialModel> numbers, SmsCredentialModel number, GatewayRouter.Channel asked) {
        step.event().detail(Details.SELECTED_CREDENTIAL_ID, number.getId());
        boolean resend = step.isResendTo(number.getId()) && asked == step.codes().channel();
        CodeDelivery.Result result = step.send(number.phone().orElseThrow(), number.getId(), asked);
        if (!result.sent() && step.codes().target() == null) {
            // the page shows the number that got no code, with the reason
            step.codes().setTarget(number.getId());
        }
        step.showCodePage(codePage(step, numbers).withResentNotice(resend && result.sent()), result.userMessage());
    }

    private void verify(AuthenticationFlowContext context, CodeStep step, List<SmsCredentialModel> numbers, String input) {
        step.event().detail(Details.SELECTED_CREDENTIAL_ID, step.codes().target());
        Verification verification = step.check(input);
        if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            step.codes().clear();
            BruteForceCount.success(context);
            context.success(SmsCredentialModel.TYPE);
        } else if (verification.countsAsWrong()) {
            BruteForceCount.failure(context);
            context.getEvent().user(context.getUser()).error(Errors.INVALID_USER_CREDENTIALS);
            step.showWrongCodePage(codePage(step, numbers), step.rejection(verification));
        } else {
            step.showCodePage(codePage(step, numbers), step.rejection(verification));
        }
    }

    /** Only a user who proved who they are, and whom brute-force detection has not locked out, gets a code. */
    private static boolean mayGoOn(AuthenticationFlowContext context, CodeStep step) {
        return followsProof(context, step) && !isLockedOut(context, step);
    }

    /**
     * Refuses to text anyone the user has not proved to be, e.g. when an admin put this step after
     * a bare username form: the page explains, the admin gets an event and a log line.
     */
    private static boolean followsProof(AuthenticationFlowContext context, CodeStep step) {
        if (PriorAuthentication.established(context.getSession(), context.getAuthenticationSession(), context.getUser())) {
            return true;
        }
        LOG.errorf("SMS code step in flow '%s' of realm %s runs before the user proved anything (password, passkey, "
                        + "identity provider...): no SMS is sent. Put it after such a step.",
                context.getTopLevelFlow() == null ? "?" : context.getTopLevelFlow().getAlias(), context.getRealm().getName());
        step.unavailable("sms_step_before_authentication", CodeDelivery.SEND_FAILED_ERROR, "smsFlowMisconfigured");
        return false;
    }

    /** Like the OTP form: a locked-out user gets no code and the same vague message as for a wrong one. */
    private static boolean isLockedOut(AuthenticationFlowContext context, CodeStep step) {
        String error = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
        if (error == null) {
            return false;
        }
        context.getEvent().user(context.getUser()).error(error);
        String messageKey = Errors.USER_TEMPORARILY_DISABLED.equals(error)
                ? Messages.ACCOUNT_TEMPORARILY_DISABLED_TOTP : Messages.ACCOUNT_PERMANENTLY_DISABLED_TOTP;
        context.forceChallenge(step.page().withCodeLength(step.codePolicy().codeLength())
                .renderCodePage(context.form().setExecution(context.getExecution().getId()),
                        new FormMessage(SmsPage.CODE_FIELD, messageKey)));
        return true;
    }

    private static List<SmsPage.Choice> choices(List<SmsCredentialModel> numbers) {
        return numbers.stream().map(c -> new SmsPage.Choice(c.getId(), c.displayName())).toList();
    }

    private static SmsPage codePage(CodeStep step, List<SmsCredentialModel> numbers) {
        SmsCredentialModel current = find(numbers, step.codes().target()).orElseThrow();
        return step.codePage(current.phone().orElseThrow())
                .withShownPhone(current.displayName())
                .withChoices(numbers.size() > 1 ? choices(numbers) : List.of());
    }

    private static Optional<SmsCredentialModel> find(List<SmsCredentialModel> numbers, String credentialId) {
        return credentialId == null ? Optional.empty()
                : numbers.stream().filter(c -> c.getId().equals(credentialId)).findFirst();
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return !getCredentialProvider(session).usableCredentials(user).isEmpty();
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        PriorAuthentication.noteSetupWithoutProof(authSession);
        if (!authSession.getRequiredActions().contains(SmsProviderIds.REQUIRED_ACTION)) {
            authSession.addRequiredAction(SmsProviderIds.REQUIRED_ACTION);
        }
    }

    @Override
    public List<RequiredActionFactory> getRequiredActions(KeycloakSession session) {
        return List.of((RequiredActionFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(RequiredActionProvider.class, SmsProviderIds.REQUIRED_ACTION));
    }

    @Override
    public SmsCredentialProvider getCredentialProvider(KeycloakSession session) {
        return SmsCredentialProvider.of(session);
    }

    @Override
    public void close() {
    }
}
