package io.github.keycloaksms.reset;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.flow.AnonymousStep;
import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.flow.BackgroundSends;
import io.github.keycloaksms.flow.BruteForceCount;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeSession;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.flow.SmsText;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.DailyTries;
import io.github.keycloaksms.limits.SendLimits;
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
final class SmsResetCodeAuthenticator extends AnonymousStep {

    private static final Logger LOG = Logger.getLogger(SmsResetCodeAuthenticator.class);
    /** What the visitor's request claims; the number's limits and the budgets are claimed by the job. */
    private static final EnumSet<SendLimits.Exceeded> VISITOR_LIMITS = EnumSet.of(SendLimits.Exceeded.COOLDOWN,
            SendLimits.Exceeded.LOGIN, SendLimits.Exceeded.CLIENT_IP, SendLimits.Exceeded.NUMBER);

    private final BackgroundSends sends;

    SmsResetCodeAuthenticator(BackgroundSends sends) {
        this.sends = sends;
    }

    /** What one request works with; {@code accountKey} stands for the account the visitor named, known or not. */
    private record Request(CodeStep step, String accountKey) {
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        open(context).ifPresent(request -> {
            if (request.step().hasCode()) {
                // a reload or the back button: show the page again, send nothing
                showCodePage(request.step(), null, false);
            } else {
                issue(request);
            }
        });
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        open(context).ifPresent(request -> {
            MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
            if (form.containsKey(SmsPage.RESEND) || !request.step().hasCode() && !form.containsKey(SmsPage.CODE_FIELD)) {
                issue(request);
            } else {
                verify(context, request, form.getFirst(SmsPage.CODE_FIELD));
            }
        });
    }

    private void issue(Request request) {
        CodeStep step = request.step();
        boolean resend = step.hasCode();
        EventBuilder failures = step.event().clone().event(EventType.RESET_PASSWORD);
        SendLimits.Subject visitor = step.limitsOf(request.accountKey(), 0, null);
        Optional<CodeDelivery.Result> refused = step.backoff(request.accountKey()).or(() -> step.claim(visitor, VISITOR_LIMITS, failures));
        if (refused.isPresent()) {
            showCodePage(step, refused.get().userMessage(), false);
            return;
        }
        step.backedOff(request.accountKey());
        Instant now = Instant.now();
        String code = OneTimeCodes.generate(step.codePolicy().codeLength());
        UserModel user = step.user();
        Locale locale = step.locale(user);
        String text = SmsText.render(step.session(), step.realm(), locale, code, step.codePolicy().ttl());
        CodeChallenge issued = step.issue(code, request.accountKey(), now);
        step.checkedByFirstGateway(null);
        ResetCodeJob job = new ResetCodeJob(step.afterResponse(EventType.RESET_PASSWORD, null), step.settings(),
                user == null ? null : user.getId(), step.codes().loginId(), visitor.clientAddress(),
                new ResetCodeJob.Code(code, issued.hash(), step.codePolicy().ttl()), text, locale);
        if (!step.sendAfterResponse(sends, job, failures)) {
            SmsMetrics.resetCode("queue_full");
        }
        showCodePage(step, null, resend);
    }

    private void verify(AuthenticationFlowContext context, Request request, String input) {
        CodeStep step = request.step();
        CodeChallenge sent = step.codes().challenge();
        Verification verification = step.check(input);
        UserModel user = step.user();
        boolean right = verification.outcome() == Verification.Outcome.ACCEPTED;
        // who the account is, is looked at only for a right code: wrong ones cost every account the same time
        if (withinTries(request, verification) && right && isIn(step, sent, user)) {
            step.codes().clear();
            SmsCredentialProvider.of(step.session()).usableCredentials(user).get(0).phone().ifPresent(step.pumping()::entered);
            BruteForceCount.success(context);
            SmsMetrics.resetCode("accepted");
            context.success();
            return;
        }
        // a right code nobody received (no account, no number, locked, no SMS went out, no tries left) is a lucky guess,
        // answered like a wrong one
        Verification shown = right ? verification.asWrong() : verification;
        if (shown.countsAsWrong()) {
            String userId = user == null ? null : user.getId();
            step.countWrongAfterResponse(sends, step.afterResponse(EventType.RESET_PASSWORD, null),
                    (session, realm) -> userId == null ? Optional.empty() : Optional.ofNullable(session.users().getUserById(realm, userId)));
        }
        showCodePage(step, step.rejection(shown), false);
    }

    /**
     * Every code compared claims one of the account's tries of the day, under whichever name it was
     * asked for and from wherever: beyond them no code is accepted for it. An unknown name counts
     * by itself, at the same cost; the visitor sees no difference either way.
     */
    private static boolean withinTries(Request request, Verification verification) {
        if (verification.outcome() != Verification.Outcome.ACCEPTED && !verification.countsAsWrong()) {
            return true;
        }
        CodeStep step = request.step();
        UserModel user = step.user();
        return new DailyTries(step.session().singleUseObjects(), step.realm().getId()).claim("reset",
                user == null ? "name:" + request.accountKey() : "user:" + user.getId(),
                step.settings().maxResetTriesPerAccountPerDay(), Instant.now());
    }

    /** The account may sign in and its code really went out by SMS. */
    private static boolean isIn(CodeStep step, CodeChallenge sent, UserModel user) {
        return CodeStep.refusal(step.session(), step.realm(), user).isEmpty()
                && new CodeUse(step.session().singleUseObjects(), step.realm().getId()).wasSent(sent.hash());
    }

    /** A plain challenge, not a failure one: wrong codes are counted after the response, for every account alike. */
    private static void showCodePage(CodeStep step, FormMessage message, boolean resent) {
        step.showCodePage(step.codePage().withResentNotice(resent), message);
    }

    /** The request's state, or empty after showing the visitor that reset by SMS is unavailable. */
    private static Optional<Request> open(AuthenticationFlowContext context) {
        return CodeStep.open(context, CodeSession.Scope.RESET).flatMap(step -> {
            String named = context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
            if (named == null && context.getUser() != null) {
                named = context.getUser().getUsername();
            }
            if (named == null) {
                // nothing chose an account before this step: the flow is built wrong
                LOG.errorf("Reset by SMS in realm %s runs before any account was chosen: put it after 'Choose User'",
                        context.getRealm().getName());
                step.unavailable("sms_step_before_choose_user", Errors.USER_NOT_FOUND, "smsFlowMisconfigured");
                return Optional.empty();
            }
            return Optional.of(new Request(step, NumberIndex.ofAccountName(RealmNumberKey.get(step.session(), step.realm()), named)));
        });
    }
}
