package io.github.keycloaksms.signin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

import io.github.keycloaksms.flow.AnonymousStep;
import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.BackgroundSends;
import io.github.keycloaksms.flow.BruteForceCount;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeSession;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Sign-in (and, where allowed, sign-up) with a phone number as the flow's first step. Every valid
 * number gets the same code page and the same answers to codes: the request issues a code for
 * any number, and a background job decides, after the response, whether an SMS goes out (see
 * {@link PhoneCodeJob}). Who holds the number is looked at on the request only once the code is
 * right, or to count a wrong code against its holder.
 */
final class SmsPhoneLoginAuthenticator extends AnonymousStep {

    private final BackgroundSends sends;

    SmsPhoneLoginAuthenticator(BackgroundSends sends) {
        this.sends = sends;
    }

    /** What one request works with. */
    private record Request(AuthenticationFlowContext context, CodeStep step, boolean signUp) {
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        CodeStep.open(context, CodeSession.Scope.PHONE_SIGN_IN).filter(PhoneSignInRules::canSignIn).ifPresent(step -> {
            Request request = new Request(context, step, PhoneSignInRules.signUp(context, step));
            if (step.hasCode()) {
                // a reload or the back button: show the page again, send nothing
                step.showCodePage(codePage(request), null);
            } else {
                showPhonePage(request, loginHint(request), null);
            }
        });
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        CodeStep.open(context, CodeSession.Scope.PHONE_SIGN_IN).filter(PhoneSignInRules::canSignIn).ifPresent(step -> {
            Request request = new Request(context, step, PhoneSignInRules.signUp(context, step));
            MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
            String target = step.codes().target();
            if (form.containsKey(SmsPage.CHANGE_NUMBER)) {
                step.codes().clear();
                showPhonePage(request, "", null);
            } else if (form.containsKey(SmsPage.PHONE_FIELD)) {
                startWithNumber(request, form.getFirst(SmsPage.PHONE_FIELD));
            } else if (target == null) {
                showPhonePage(request, "", null);
            } else if (form.containsKey(SmsPage.RESEND)) {
                issue(request, PhoneNumber.ofStoredE164(target), target);
            } else {
                verify(request, form.getFirst(SmsPage.CODE_FIELD));
            }
        });
    }

    private void startWithNumber(Request request, String typed) {
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(typed, request.step().settings().defaultRegion(), request.step().settings().allowedRegions());
        } catch (PhoneNumberException e) {
            request.step().event().clone().detail(Details.REASON, e.messageKey()).error(Errors.INVALID_INPUT);
            showPhonePage(request, typed, SmsPage.phoneError(e, request.step().settings().defaultRegion(), request.step().locale(null)));
            return;
        }
        request.step().codes().clear();
        issue(request, phone, typed);
    }

    /**
     * Issues a code for the number, whoever holds it: the same limits, the same notes, the same
     * page. Only the job, after the response, looks at who holds the number.
     */
    private void issue(Request request, PhoneNumber phone, String typed) {
        CodeStep step = request.step();
        boolean resend = step.isResendTo(phone.e164());
        EventBuilder failures = step.event().clone().detail(AfterResponse.NUMBER_DETAIL, phone.masked());
        String index = step.index(phone);
        String numberKey = DeviceAllowance.numberKey(step, index);
        // the holder's own browser is exempt from the number's backoff, as from its count
        boolean stranger = numberKey.equals(index);
        Optional<CodeDelivery.Result> refused = (stranger ? step.backoff(index) : Optional.<CodeDelivery.Result>empty())
                .or(() -> step.claim(phone, numberKey, failures));
        if (refused.isPresent()) {
            if (resend) {
                step.showCodePage(codePage(request), refused.get().userMessage());
            } else {
                showPhonePage(request, typed, refused.get().userMessage());
            }
            return;
        }
        if (stranger) {
            step.backedOff(index);
        }
        SmsMessage message = step.delivery().compose(phone, step.locale(null), null, GatewayRouter.Channel.SMS);
        // a test number's code is its fixed one, whoever holds it: only the job and the check look at holders
        step.issue(step.settings().testCode(phone).orElse(message.code()), phone.e164(), Instant.now());
        step.checkedByFirstGateway(phone);
        PhoneCodeJob job = new PhoneCodeJob(step.afterResponse(EventType.LOGIN, phone.masked()), step.settings(), message,
                index, request.signUp());
        if (!step.sendAfterResponse(sends, job, failures)) {
            SmsMetrics.phoneSignIn("queue_full");
        }
        step.showCodePage(codePage(request).withResentNotice(resend), null);
    }

    private void verify(Request request, String input) {
        CodeStep step = request.step();
        PhoneNumber phone = PhoneNumber.ofStoredE164(step.codes().target());
        Verification verification = step.check(input);
        if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            proved(request, phone, verification);
        } else if (verification.countsAsWrong()) {
            String index = step.index(phone);
            step.countWrongAfterResponse(sends, step.afterResponse(EventType.LOGIN, phone.masked()),
                    (session, realm) -> PhoneCodeJob.soleHolder(session, realm, index));
            step.showWrongCodePage(codePage(request), step.rejection(verification));
        } else {
            step.showCodePage(codePage(request), step.rejection(verification));
        }
    }

    private void proved(Request request, PhoneNumber phone, Verification verification) {
        CodeStep step = request.step();
        List<UserModel> holders = step.numbers().signInHolders(step.index(phone));
        UserModel current = step.user();
        if (holders.size() == 1) {
            UserModel user = holders.get(0);
            if (CodeStep.refusal(step.session(), step.realm(), user).isEmpty()
                    && (current == null || current.getId().equals(user.getId()))) {
                enter(request, phone, user, "signed_in");
                return;
            }
        } else if (holders.isEmpty() && request.signUp() && current == null && step.settings().testCode(phone).isEmpty()) {
            request.step().codes().clear();
            PhoneSignUp.create(step, phone).ifPresentOrElse(user -> enter(request, phone, user, "signed_up"),
                    () -> showPhonePage(request, "", new FormMessage(SmsPage.PHONE_FIELD, "smsPhoneInUse")));
            return;
        }
        // nobody received this code (unknown, disabled, locked, ambiguous): a lucky guess, answered like a wrong one
        step.event().clone().detail(AfterResponse.NUMBER_DETAIL, phone.masked()).error(Errors.INVALID_USER_CREDENTIALS);
        step.showWrongCodePage(codePage(request), step.rejection(verification.asWrong()));
    }

    /** The holder, or with sign-up a new account, is in: the flow goes on with them. */
    private static void enter(Request request, PhoneNumber phone, UserModel user, String outcome) {
        request.step().codes().clear();
        request.step().pumping().entered(phone);
        DeviceAllowance.remember(request.step(), request.step().index(phone));
        request.context().setUser(user);
        BruteForceCount.success(request.context());
        request.step().event().user(user).detail(AfterResponse.NUMBER_DETAIL, phone.masked());
        if (request.step().settings().testCode(phone).isPresent()) {
            request.step().event().detail(CodeStep.TEST_NUMBER_DETAIL, "true");
        }
        SmsMetrics.phoneSignIn(outcome);
        request.context().success(SmsCredentialModel.TYPE);
    }

    private static void showPhonePage(Request request, String typed, FormMessage message) {
        CodeStep step = request.step();
        SmsPage page = step.page().forPhoneSignIn(request.signUp()).withPhoneValue(typed)
                .withDefaultRegion(step.settings().defaultRegion(), step.locale(null));
        step.showPhonePage(page, message);
    }

    private static SmsPage codePage(Request request) {
        return request.step().codePage().forPhoneSignIn(request.signUp())
                .withShownPhone(PhoneNumbers.forReading(PhoneNumber.ofStoredE164(request.step().codes().target())));
    }

    /** {@code login_hint} pre-fills the field when it is a number. */
    private static String loginHint(Request request) {
        String hint = request.context().getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        try {
            PhoneNumbers.parse(hint, request.step().settings().defaultRegion(), request.step().settings().allowedRegions());
            return hint;
        } catch (PhoneNumberException e) {
            return "";
        }
    }
}
