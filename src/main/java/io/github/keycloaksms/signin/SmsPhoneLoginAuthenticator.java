package io.github.keycloaksms.signin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

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
import io.github.keycloaksms.flow.VerificationMessages;
import io.github.keycloaksms.flow.WrongCodeJob;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.login.BruteForceCount;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.EnrolledNumbers;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
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
public class SmsPhoneLoginAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(SmsPhoneLoginAuthenticator.class);
    private static final String PURPOSE_PREFIX = "phone:";
    private static final SmsMessage.Recipient NOBODY_YET = new SmsMessage.Recipient(null, null, null, null, null);
    /** Realm misconfigurations already logged, so that a flood of visitors does not flood the log. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private final BackgroundSends sends;

    public SmsPhoneLoginAuthenticator(BackgroundSends sends) {
        this.sends = sends;
    }

    /** What one request works with. */
    private record Request(AuthenticationFlowContext context, SmsSettings settings, CodeSession codes, boolean signUp) {

        KeycloakSession session() {
            return context.getSession();
        }

        RealmModel realm() {
            return context.getRealm();
        }

        EnrolledNumbers numbers() {
            return new EnrolledNumbers(session(), realm(),
                    (SmsCredentialProvider) session().getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID));
        }

        String index(PhoneNumber phone) {
            return NumberIndex.of(RealmNumberKey.get(session(), realm()), phone);
        }
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Request request = request(context);
        if (request == null) {
            return;
        }
        if (request.codes().target() != null && request.codes().challenge() != null) {
            // a reload or the back button: show the page again, send nothing
            showCodePage(request, null, false);
        } else {
            showPhonePage(request, loginHint(request), null);
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        Request request = request(context);
        if (request == null) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        CodeSession codes = request.codes();
        if (form.containsKey(SmsPage.CHANGE_NUMBER)) {
            codes.clear();
            showPhonePage(request, "", null);
        } else if (form.containsKey(SmsPage.PHONE_FIELD)) {
            startWithNumber(request, form.getFirst(SmsPage.PHONE_FIELD));
        } else if (codes.target() == null) {
            showPhonePage(request, "", null);
        } else if (form.containsKey(SmsPage.RESEND)) {
            issue(request, PhoneNumber.ofStoredE164(codes.target()), codes.target());
        } else {
            verify(request, form.getFirst(SmsPage.CODE_FIELD));
        }
    }

    private void startWithNumber(Request request, String typed) {
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(typed, request.settings().defaultRegion(), request.settings().allowedRegions());
        } catch (PhoneNumberException e) {
            request.context().getEvent().clone().detail(Details.REASON, e.messageKey()).error(Errors.INVALID_INPUT);
            showPhonePage(request, typed, new FormMessage(SmsPage.PHONE_FIELD, e.messageKey()));
            return;
        }
        request.codes().clear();
        issue(request, phone, typed);
    }

    /**
     * Issues a code for the number, whoever holds it: the same limits, the same notes, the same
     * page. Only the job, after the response, looks at who holds the number.
     */
    private void issue(Request request, PhoneNumber phone, String typed) {
        Instant now = Instant.now();
        CodeSession codes = request.codes();
        boolean resend = phone.e164().equals(codes.target()) && codes.challenge() != null;
        CodeDelivery delivery = new CodeDelivery(request.session(), request.realm(), request.settings(), codes);
        EventBuilder failures = request.context().getEvent().clone().detail(AfterResponse.NUMBER_DETAIL, phone.masked());
        Optional<CodeDelivery.Result> refused = delivery.claim(phone, SendLimits.Purpose.PHONE_SIGN_IN, null, failures, now);
        if (refused.isPresent()) {
            if (resend) {
                showCodePage(request, refused.get().userMessage(), false);
            } else {
                showPhonePage(request, typed, refused.get().userMessage());
            }
            return;
        }
        SmsMessage message = delivery.compose(phone, request.session().getContext().resolveLocale(null), NOBODY_YET);
        delivery.issued(message, PURPOSE_PREFIX + phone.e164(), now);
        codes.setTarget(phone.e164());
        PhoneCodeJob job = new PhoneCodeJob(afterResponse(request, phone), request.settings(), message, request.index(phone),
                request.signUp());
        if (!sends.submit(job)) {
            SmsMetrics.phoneSignIn("queue_full");
            failures.clone().detail(CodeDelivery.REASON_DETAIL, "queue_full").error(CodeDelivery.SEND_FAILED_ERROR);
            LOG.warnf("Phone sign-in in realm %s: the send queue is full, the code for %s is not sent",
                    request.realm().getName(), phone.masked());
        }
        showCodePage(request, null, resend);
    }

    private void verify(Request request, String input) {
        PhoneNumber phone = PhoneNumber.ofStoredE164(request.codes().target());
        Verification verification = request.codes().check(input, PURPOSE_PREFIX + phone.e164(), request.settings().codePolicy(),
                new CodeUse(request.session().singleUseObjects(), request.realm().getId()));
        switch (verification.outcome()) {
            case ACCEPTED -> proved(request, phone, verification);
            case WRONG, SUPERSEDED -> wrong(request, phone, verification);
            default -> showCodePage(request, VerificationMessages.forRejected(verification, request.settings().codePolicy()), false);
        }
    }

    /**
     * A wrong code counts against the number's holder, if any, after the response; when the queue is
     * full it counts now, since a flood must not buy an attacker uncounted guesses.
     */
    private void wrong(Request request, PhoneNumber phone, Verification verification) {
        String index = request.index(phone);
        WrongCodeJob job = new WrongCodeJob(afterResponse(request, phone), request.context().getUriInfo(),
                (session, realm) -> PhoneCodeJob.soleHolder(session, realm, index));
        if (!sends.submit(job)) {
            job.run();
        }
        request.context().failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                codePage(request).renderCodePage(form(request.context()),
                        VerificationMessages.forRejected(verification, request.settings().codePolicy())));
    }

    private void proved(Request request, PhoneNumber phone, Verification verification) {
        String index = request.index(phone);
        List<UserModel> holders = request.numbers().signInHolders(index);
        UserModel current = request.context().getUser();
        if (holders.size() == 1) {
            UserModel user = holders.get(0);
            boolean mayEnter = user.isEnabled() && !BruteForceCount.isLockedOut(request.session(), request.realm(), user)
                    && (current == null || current.getId().equals(user.getId()));
            if (mayEnter) {
                signIn(request, phone, user);
                return;
            }
        } else if (holders.isEmpty() && request.signUp() && current == null) {
            signUp(request, phone, index);
            return;
        }
        // nobody received this code (unknown, disabled, locked, ambiguous): a lucky guess, answered like a wrong one
        request.context().getEvent().clone().detail(AfterResponse.NUMBER_DETAIL, phone.masked()).error(Errors.INVALID_USER_CREDENTIALS);
        Verification asWrong = new Verification(Verification.Outcome.WRONG, verification.challenge());
        request.context().failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                codePage(request).renderCodePage(form(request.context()), VerificationMessages.forRejected(asWrong, request.settings().codePolicy())));
    }

    private void signIn(Request request, PhoneNumber phone, UserModel user) {
        AuthenticationFlowContext context = request.context();
        request.codes().clear();
        context.setUser(user);
        BruteForceCount.success(context);
        context.getEvent().user(user).detail(AfterResponse.NUMBER_DETAIL, phone.masked());
        SmsMetrics.phoneSignIn("signed_in");
        context.success(SmsCredentialModel.TYPE);
    }

    /**
     * Creates an account for a proved number nobody holds: the number is its username and its SMS
     * credential; Keycloak's profile form asks for the rest. Only now, with the number proved, may
     * the visitor learn that it is taken.
     */
    private void signUp(Request request, PhoneNumber phone, String index) {
        AuthenticationFlowContext context = request.context();
        EnrolledNumbers numbers = request.numbers();
        boolean taken = request.settings().uniqueNumbers() && (!numbers.reserve(index) || numbers.heldByAnyone(index))
                || request.session().users().getUserByUsername(request.realm(), phone.e164()) != null;
        request.codes().clear();
        if (taken) {
            context.getEvent().clone().detail(AfterResponse.NUMBER_DETAIL, phone.masked())
                    .detail(Details.REASON, "sms_number_in_use").error(Errors.INVALID_REGISTRATION);
            showPhonePage(request, "", new FormMessage(SmsPage.PHONE_FIELD, "smsPhoneInUse"));
            return;
        }
        UserModel user = request.session().users().addUser(request.realm(), phone.e164());
        user.setEnabled(true);
        SmsCredentialProvider credentials =
                (SmsCredentialProvider) request.session().getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
        credentials.createCredential(request.realm(), user, SmsCredentialModel.create(phone, index, true, null));
        numbers.remember(user, index);
        user.addRequiredAction(profileAction(request.realm()));
        context.setUser(user);
        context.getEvent().clone().event(EventType.REGISTER).user(user).detail(Details.REGISTER_METHOD, "sms")
                .detail(AfterResponse.NUMBER_DETAIL, phone.masked()).success();
        context.getEvent().user(user).detail(AfterResponse.NUMBER_DETAIL, phone.masked());
        SmsMetrics.phoneSignIn("signed_up");
        context.success(SmsCredentialModel.TYPE);
    }

    private static AfterResponse afterResponse(Request request, PhoneNumber phone) {
        AuthenticationFlowContext context = request.context();
        return new AfterResponse(request.session().getKeycloakSessionFactory(), request.realm().getId(),
                context.getAuthenticationSession().getClient().getClientId(), context.getConnection().getRemoteAddr(), EventType.LOGIN,
                phone.masked());
    }

    /** Keycloak's "Verify profile" asks only for what the profile lacks; realms without it get "Update profile". */
    private static UserModel.RequiredAction profileAction(RealmModel realm) {
        RequiredActionProviderModel verify = realm.getRequiredActionProviderByAlias(UserModel.RequiredAction.VERIFY_PROFILE.name());
        return verify != null && verify.isEnabled() ? UserModel.RequiredAction.VERIFY_PROFILE : UserModel.RequiredAction.UPDATE_PROFILE;
    }

    private void showPhonePage(Request request, String typed, FormMessage message) {
        SmsPage page = new SmsPage().forPhoneSignIn(request.signUp()).withPhoneValue(typed)
                .withDefaultRegion(request.settings().defaultRegion(), request.session().getContext().resolveLocale(null));
        request.context().challenge(page.renderPhonePage(form(request.context()), message));
    }

    private void showCodePage(Request request, FormMessage message, boolean resent) {
        request.context().challenge(codePage(request).withResentNotice(resent).renderCodePage(form(request.context()), message));
    }

    private static SmsPage codePage(Request request) {
        return new SmsPage().forPhoneSignIn(request.signUp())
                .withShownPhone(request.codes().target())
                .withCodeLength(request.settings().codePolicy().codeLength())
                .withResendIn(request.codes().cooldownLeft(request.settings().codePolicy().resendCooldown(), Instant.now()));
    }

    /** {@code login_hint} pre-fills the field when it is a number. */
    private static String loginHint(Request request) {
        String hint = request.context().getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        try {
            PhoneNumbers.parse(hint, request.settings().defaultRegion(), request.settings().allowedRegions());
            return hint;
        } catch (PhoneNumberException e) {
            return "";
        }
    }

    private static LoginFormsProvider form(AuthenticationFlowContext context) {
        return context.form().setExecution(context.getExecution().getId());
    }

    /** The request's state, or null after showing the visitor that sign-in by phone is unavailable. */
    private Request request(AuthenticationFlowContext context) {
        SmsSettings settings;
        try {
            settings = RealmSmsSettings.load(context.getSession(), context.getRealm());
        } catch (InvalidSettingsException e) {
            LOG.errorf("SMS settings of realm %s are invalid: %s", context.getRealm().getName(), e.getMessage());
            return unavailable(context, "sms_settings_invalid", "smsNotConfigured");
        }
        if (settings.verifyOnly()) {
            report(context.getRealm(), "verifyOnly", "SMS settings of realm %s keep only a hash of each number (verifyOnly): "
                    + "nobody can sign in with a phone number. Turn verifyOnly off or remove the step.");
            return unavailable(context, "sms_verify_only", "smsFlowMisconfigured");
        }
        CodeSession codes = new CodeSession(context.getAuthenticationSession(), CodeSession.Scope.PHONE_SIGN_IN);
        return new Request(context, settings, codes, signUp(context, settings));
    }

    /** Sign-up needs the step's switch, Keycloak's "User registration", and allowed regions to keep it from texting the world. */
    private static boolean signUp(AuthenticationFlowContext context, SmsSettings settings) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        boolean wanted = config != null && config.getConfig() != null
                && Boolean.parseBoolean(config.getConfig().get(SmsPhoneLoginAuthenticatorFactory.ALLOW_SIGN_UP));
        if (!wanted || !context.getRealm().isRegistrationAllowed()) {
            return false;
        }
        if (settings.allowedRegions().isEmpty()) {
            report(context.getRealm(), "allowedRegions", "Phone sign-up in realm %s stays off: it needs allowedRegions in the "
                    + "SMS settings, so that it does not text numbers anywhere in the world.");
            return false;
        }
        return true;
    }

    private static void report(RealmModel realm, String problem, String format) {
        if (REPORTED.add(realm.getId() + ":" + problem)) {
            LOG.errorf(format, realm.getName());
        }
    }

    private static Request unavailable(AuthenticationFlowContext context, String reason, String messageKey) {
        context.getEvent().detail(Details.REASON, reason).error(CodeDelivery.SEND_FAILED_ERROR);
        context.challenge(new SmsPage().forPhoneSignIn(false).markUnavailable()
                .renderPhonePage(form(context), new FormMessage(null, messageKey)));
        return null;
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
