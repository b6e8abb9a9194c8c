package io.github.keycloaksms.login;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.CredentialValidator;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

import jakarta.ws.rs.core.MultivaluedMap;

import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.enrollment.SmsRegisterRequiredActionFactory;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeSession;
import io.github.keycloaksms.flow.PriorAuthentication;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.flow.VerificationMessages;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Second factor at login: sends a code to one of the user's enrolled numbers and checks it.
 * Wrong codes go through {@code failureChallenge} and count in Keycloak's brute-force detection
 * as OTP failures ({@link BruteForceCount}).
 */
public class SmsOtpAuthenticator implements Authenticator, CredentialValidator<SmsCredentialProvider> {

    private static final Logger LOG = Logger.getLogger(SmsOtpAuthenticator.class);
    private static final String PURPOSE_PREFIX = "login:";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        SmsSettings settings = settings(context);
        if (settings == null || !followsProof(context) || isLockedOut(context, settings)) {
            return;
        }
        List<SmsCredentialModel> numbers = getCredentialProvider(context.getSession()).usableCredentials(context.getUser());
        CodeSession codes = new CodeSession(context.getAuthenticationSession(), CodeSession.Scope.LOGIN);
        if (numbers.isEmpty()) {
            // the last number was removed during this login: nothing to send a code to
            context.attempted();
        } else if (find(numbers, codes.target()).isPresent() && codes.challenge() != null) {
            // a reload or the back button: show the page again, send nothing
            showCodePage(context, settings, codes, numbers, null);
        } else if (numbers.size() == 1) {
            send(context, settings, codes, numbers, numbers.get(0), false);
        } else {
            showChoices(context, numbers);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        SmsSettings settings = settings(context);
        if (settings == null || !followsProof(context) || isLockedOut(context, settings)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        List<SmsCredentialModel> numbers = getCredentialProvider(context.getSession()).usableCredentials(context.getUser());
        CodeSession codes = new CodeSession(context.getAuthenticationSession(), CodeSession.Scope.LOGIN);
        Optional<SmsCredentialModel> chosen = find(numbers, form.getFirst(SmsPage.SELECTED_CREDENTIAL));
        Optional<SmsCredentialModel> current = find(numbers, codes.target());

        if (chosen.isPresent()) {
            send(context, settings, codes, numbers, chosen.get(), false);
        } else if (form.containsKey(SmsPage.CHANGE_NUMBER) || current.isEmpty()) {
            showChoices(context, numbers);
        } else if (form.containsKey(SmsPage.RESEND) || form.containsKey(SmsPage.CALL)) {
            send(context, settings, codes, numbers, current.get(), form.containsKey(SmsPage.CALL));
        } else {
            verify(context, settings, codes, numbers, form.getFirst(SmsPage.CODE_FIELD));
        }
    }

    private void send(AuthenticationFlowContext context, SmsSettings settings, CodeSession codes,
                      List<SmsCredentialModel> numbers, SmsCredentialModel number, boolean call) {
        context.getEvent().detail(Details.SELECTED_CREDENTIAL_ID, number.getId());
        boolean resend = number.getId().equals(codes.target()) && codes.challenge() != null;
        CodeDelivery delivery = new CodeDelivery(context.getSession(), context.getRealm(), settings, codes);
        CodeDelivery.Result result = delivery.send(number.phone().orElseThrow(), SendLimits.Purpose.LOGIN,
                PURPOSE_PREFIX + number.getId(), context.getUser(), context.getEvent(), call);
        if (result.sent() || codes.target() == null) {
            codes.setTarget(number.getId());
        }
        SmsPage page = codePage(context, settings, codes, numbers, call && result.sent())
                .withResentNotice(resend && result.sent() && !call);
        context.challenge(page.renderCodePage(form(context), result.userMessage()));
    }

    private void verify(AuthenticationFlowContext context, SmsSettings settings, CodeSession codes,
                        List<SmsCredentialModel> numbers, String input) {
        String target = codes.target();
        context.getEvent().detail(Details.SELECTED_CREDENTIAL_ID, target);
        Verification verification = codes.check(input, PURPOSE_PREFIX + target, settings.codePolicy(),
                new CodeUse(context.getSession().singleUseObjects(), context.getRealm().getId()));
        if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            codes.clear();
            BruteForceCount.success(context);
            context.success(SmsCredentialModel.TYPE);
            return;
        }
        FormMessage message = VerificationMessages.forRejected(verification, settings.codePolicy());
        if (verification.outcome() == Verification.Outcome.WRONG || verification.outcome() == Verification.Outcome.SUPERSEDED) {
            BruteForceCount.failure(context);
            context.getEvent().user(context.getUser()).error(Errors.INVALID_USER_CREDENTIALS);
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                    codePage(context, settings, codes, numbers, false).renderCodePage(context.form(), message));
        } else {
            showCodePage(context, settings, codes, numbers, message);
        }
    }

    /**
     * Refuses to text anyone the user has not proved to be, e.g. when an admin put this step after
     * a bare username form: the page explains, the admin gets an event and a log line.
     */
    private boolean followsProof(AuthenticationFlowContext context) {
        if (PriorAuthentication.established(context.getSession(), context.getAuthenticationSession(), context.getUser())) {
            return true;
        }
        LOG.errorf("SMS code step in flow '%s' of realm %s runs before the user proved anything (password, passkey, "
                        + "identity provider...): no SMS is sent. Put it after such a step.",
                context.getTopLevelFlow() == null ? "?" : context.getTopLevelFlow().getAlias(), context.getRealm().getName());
        context.getEvent().user(context.getUser()).detail(Details.REASON, "sms_step_before_authentication")
                .error(CodeDelivery.SEND_FAILED_ERROR);
        context.challenge(new SmsPage().markUnavailable()
                .renderCodePage(form(context), new FormMessage(null, "smsFlowMisconfigured")));
        return false;
    }

    /** Like the OTP form: a locked-out user gets no code and the same vague message as for a wrong one. */
    private boolean isLockedOut(AuthenticationFlowContext context, SmsSettings settings) {
        String error = AuthenticatorUtils.getDisabledByBruteForceEventError(context, context.getUser());
        if (error == null) {
            return false;
        }
        context.getEvent().user(context.getUser()).error(error);
        String messageKey = Errors.USER_TEMPORARILY_DISABLED.equals(error)
                ? Messages.ACCOUNT_TEMPORARILY_DISABLED_TOTP : Messages.ACCOUNT_PERMANENTLY_DISABLED_TOTP;
        SmsPage page = new SmsPage().withCodeLength(settings.codePolicy().codeLength());
        context.forceChallenge(page.renderCodePage(form(context), new FormMessage(SmsPage.CODE_FIELD, messageKey)));
        return true;
    }

    private void showChoices(AuthenticationFlowContext context, List<SmsCredentialModel> numbers) {
        context.challenge(new SmsPage().withChoices(choices(numbers)).renderCodePage(form(context), null));
    }

    private static List<SmsPage.Choice> choices(List<SmsCredentialModel> numbers) {
        return numbers.stream().map(c -> new SmsPage.Choice(c.getId(), c.displayName())).toList();
    }

    private void showCodePage(AuthenticationFlowContext context, SmsSettings settings, CodeSession codes,
                              List<SmsCredentialModel> numbers, FormMessage message) {
        context.challenge(codePage(context, settings, codes, numbers, false).renderCodePage(form(context), message));
    }

    /** @param called the code just went out by a call the user asked for */
    private SmsPage codePage(AuthenticationFlowContext context, SmsSettings settings, CodeSession codes,
                             List<SmsCredentialModel> numbers, boolean called) {
        SmsCredentialModel current = find(numbers, codes.target()).orElseThrow();
        PhoneNumber phone = current.phone().orElseThrow();
        return new SmsPage()
                .withShownPhone(current.displayName())
                .withChoices(numbers.size() > 1 ? choices(numbers) : List.of())
                .withCodeLength(settings.codePolicy().codeLength())
                .withResendIn(codes.cooldownLeft(settings.codePolicy().resendCooldown(), Instant.now()))
                .withCalls(codes.challenge() != null && CodeDelivery.offersCallInstead(context.getSession(), settings, phone),
                        CodeDelivery.channel(settings, phone, called) == GatewayRouter.Channel.VOICE);
    }

    private static LoginFormsProvider form(AuthenticationFlowContext context) {
        return context.form().setExecution(context.getExecution().getId());
    }

    private static Optional<SmsCredentialModel> find(List<SmsCredentialModel> numbers, String credentialId) {
        return credentialId == null ? Optional.empty()
                : numbers.stream().filter(c -> c.getId().equals(credentialId)).findFirst();
    }

    /** The realm's settings, or null after showing the user that SMS is unavailable. */
    private SmsSettings settings(AuthenticationFlowContext context) {
        try {
            return RealmSmsSettings.load(context.getSession(), context.getRealm());
        } catch (InvalidSettingsException e) {
            LOG.errorf("SMS settings of realm %s are invalid: %s", context.getRealm().getName(), e.getMessage());
            context.getEvent().user(context.getUser()).detail(Details.REASON, "sms_settings_invalid")
                    .error(CodeDelivery.SEND_FAILED_ERROR);
            context.challenge(new SmsPage().markUnavailable()
                    .renderCodePage(form(context), new FormMessage(null, "smsNotConfigured")));
            return null;
        }
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
        if (!authSession.getRequiredActions().contains(SmsRegisterRequiredActionFactory.PROVIDER_ID)) {
            authSession.addRequiredAction(SmsRegisterRequiredActionFactory.PROVIDER_ID);
        }
    }

    @Override
    public List<RequiredActionFactory> getRequiredActions(KeycloakSession session) {
        return List.of((RequiredActionFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(RequiredActionProvider.class, SmsRegisterRequiredActionFactory.PROVIDER_ID));
    }

    @Override
    public SmsCredentialProvider getCredentialProvider(KeycloakSession session) {
        return (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
    }

    @Override
    public void close() {
    }
}
