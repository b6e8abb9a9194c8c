package io.github.keycloaksms.reset;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.BackgroundSends;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeSession;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.flow.SmsText;
import io.github.keycloaksms.flow.VerificationMessages;
import io.github.keycloaksms.flow.WrongCodeJob;
import io.github.keycloaksms.limits.ClientAddress;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.login.BruteForceCount;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;

/**
 * Password reset by SMS, after Keycloak's "Choose user" in the reset-credentials flow: a code to
 * the account's number, and the flow goes on to the new password only after the right code. An
 * unknown account, one without a number and one with a number get the same page, answers and
 * limits: the code is issued for every account, and whether an SMS goes out is decided after the
 * response ({@link ResetCodeJob}). Its notes belong to this step of this flow only.
 */
public class SmsResetCodeAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(SmsResetCodeAuthenticator.class);
    private static final String PURPOSE_PREFIX = "reset:";
    /** What the visitor's request claims; the number's limits and the budgets are claimed by the job. */
    private static final EnumSet<SendLimits.Exceeded> VISITOR_LIMITS = EnumSet.of(SendLimits.Exceeded.COOLDOWN,
            SendLimits.Exceeded.LOGIN, SendLimits.Exceeded.CLIENT_IP, SendLimits.Exceeded.NUMBER);

    private final BackgroundSends sends;

    public SmsResetCodeAuthenticator(BackgroundSends sends) {
        this.sends = sends;
    }

    /** What one request works with; {@code accountKey} stands for the account the visitor named, known or not. */
    private record Request(AuthenticationFlowContext context, SmsSettings settings, CodeSession codes, String accountKey) {
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Request request = request(context);
        if (request == null) {
            return;
        }
        if (request.codes().challenge() != null) {
            // a reload or the back button: show the page again, send nothing
            showCodePage(request, null, false);
        } else {
            issue(request);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        Request request = request(context);
        if (request == null) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (form.containsKey(SmsPage.RESEND) || request.codes().challenge() == null && !form.containsKey(SmsPage.CODE_FIELD)) {
            issue(request);
        } else {
            verify(request, form.getFirst(SmsPage.CODE_FIELD));
        }
    }

    private void issue(Request request) {
        AuthenticationFlowContext context = request.context();
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        Instant now = Instant.now();
        boolean resend = request.codes().challenge() != null;
        String clientAddress = ClientAddress.of(context.getConnection().getRemoteAddr());
        SendLimits.Subject visitor = new SendLimits.Subject(realm.getId(), request.codes().loginId(), null, SendLimits.Purpose.RESET,
                request.accountKey(), 0, clientAddress);
        EventBuilder failures = context.getEvent().clone().event(EventType.RESET_PASSWORD);
        Optional<CodeDelivery.Result> refused = CodeDelivery.refusal(realm, request.settings(), visitor, VISITOR_LIMITS, session,
                failures, now);
        if (refused.isPresent()) {
            showCodePage(request, refused.get().userMessage(), false);
            return;
        }
        request.codes().markSent(now);
        String code = OneTimeCodes.generate(request.settings().codePolicy().codeLength());
        Locale locale = session.getContext().resolveLocale(context.getUser());
        String text = SmsText.render(session, realm, locale, code, request.settings().codePolicy().ttl());
        new CodeDelivery(session, realm, request.settings(), request.codes()).issued(code, PURPOSE_PREFIX + request.accountKey(), now);
        UserModel user = context.getUser();
        ResetCodeJob job = new ResetCodeJob(afterResponse(context), request.settings(), user == null ? null : user.getId(),
                request.codes().loginId(), clientAddress, code, text, request.settings().codePolicy().ttl(), locale);
        if (!sends.submit(job)) {
            SmsMetrics.resetCode("queue_full");
            failures.clone().detail(CodeDelivery.REASON_DETAIL, "queue_full").error(CodeDelivery.SEND_FAILED_ERROR);
            LOG.warnf("Reset by SMS in realm %s: the send queue is full, a code is not sent", realm.getName());
        }
        showCodePage(request, null, resend);
    }

    private void verify(Request request, String input) {
        AuthenticationFlowContext context = request.context();
        Verification verification = request.codes().check(input, PURPOSE_PREFIX + request.accountKey(),
                request.settings().codePolicy(), new CodeUse(context.getSession().singleUseObjects(), context.getRealm().getId()));
        UserModel user = context.getUser();
        if (verification.outcome() == Verification.Outcome.ACCEPTED && mayReset(context, user)) {
            request.codes().clear();
            BruteForceCount.success(context);
            SmsMetrics.resetCode("accepted");
            context.success();
            return;
        }
        Verification shown = verification;
        if (verification.outcome() == Verification.Outcome.ACCEPTED
                || verification.outcome() == Verification.Outcome.WRONG || verification.outcome() == Verification.Outcome.SUPERSEDED) {
            // a right code nobody received (no account, no number, locked) is a lucky guess, answered like a wrong one
            shown = verification.outcome() == Verification.Outcome.ACCEPTED
                    ? new Verification(Verification.Outcome.WRONG, verification.challenge()) : verification;
            String userId = user == null ? null : user.getId();
            WrongCodeJob job = new WrongCodeJob(afterResponse(context), context.getUriInfo(),
                    (session, realm) -> userId == null ? Optional.empty() : Optional.ofNullable(session.users().getUserById(realm, userId)));
            if (!sends.submit(job)) {
                job.run();
            }
        }
        showCodePage(request, VerificationMessages.forRejected(shown, request.settings().codePolicy()), false);
    }

    private static boolean mayReset(AuthenticationFlowContext context, UserModel user) {
        if (user == null || !user.isEnabled() || BruteForceCount.isLockedOut(context.getSession(), context.getRealm(), user)) {
            return false;
        }
        SmsCredentialProvider credentials = (SmsCredentialProvider) context.getSession()
                .getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
        return !credentials.usableCredentials(user).isEmpty();
    }

    private void showCodePage(Request request, FormMessage message, boolean resent) {
        SmsPage page = new SmsPage().forReset()
                .withResentNotice(resent)
                .withCodeLength(request.settings().codePolicy().codeLength())
                .withResendIn(request.codes().cooldownLeft(request.settings().codePolicy().resendCooldown(), Instant.now()));
        // a plain challenge, not a failure one: wrong codes are counted after the response, for every account alike
        request.context().challenge(page.renderCodePage(form(request.context()), message));
    }

    private static AfterResponse afterResponse(AuthenticationFlowContext context) {
        return new AfterResponse(context.getSession().getKeycloakSessionFactory(), context.getRealm().getId(),
                context.getAuthenticationSession().getClient().getClientId(), context.getConnection().getRemoteAddr(),
                EventType.RESET_PASSWORD, null);
    }

    /**
     * The page without Keycloak's "Username or email: ..., restart login" block: Keycloak shows it
     * only when the flow has a user, that is, only for accounts that exist.
     */
    private static LoginFormsProvider form(AuthenticationFlowContext context) {
        return context.form().setExecution(context.getExecution().getId()).setAuthContext(null);
    }

    /** The request's state, or null after showing the visitor that reset by SMS is unavailable. */
    private static Request request(AuthenticationFlowContext context) {
        SmsSettings settings;
        try {
            settings = RealmSmsSettings.load(context.getSession(), context.getRealm());
        } catch (InvalidSettingsException e) {
            LOG.errorf("SMS settings of realm %s are invalid: %s", context.getRealm().getName(), e.getMessage());
            context.getEvent().detail(Details.REASON, "sms_settings_invalid").error(CodeDelivery.SEND_FAILED_ERROR);
            context.challenge(new SmsPage().forReset().markUnavailable()
                    .renderCodePage(form(context), new FormMessage(null, "smsNotConfigured")));
            return null;
        }
        String named = context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (named == null && context.getUser() != null) {
            named = context.getUser().getUsername();
        }
        if (named == null) {
            // nothing chose an account before this step: the flow is built wrong
            LOG.errorf("Reset by SMS in realm %s runs before any account was chosen: put it after 'Choose User'",
                    context.getRealm().getName());
            context.getEvent().detail(Details.REASON, "sms_step_before_choose_user").error(Errors.USER_NOT_FOUND);
            context.challenge(new SmsPage().forReset().markUnavailable()
                    .renderCodePage(form(context), new FormMessage(null, "smsFlowMisconfigured")));
            return null;
        }
        String accountKey = NumberIndex.ofAccountName(RealmNumberKey.get(context.getSession(), context.getRealm()), named);
        CodeSession codes = new CodeSession(context.getAuthenticationSession(), CodeSession.Scope.RESET, context.getExecution().getId());
        return new Request(context, settings, codes, accountKey);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
