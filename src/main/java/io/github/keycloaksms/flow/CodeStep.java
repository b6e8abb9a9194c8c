package io.github.keycloaksms.flow;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.urls.UrlType;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.config.ChannelChoice;
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.limits.ClientAddress;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.NumberBackoff;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.EnrolledNumbers;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * One request of a step that sends and checks codes: the login step, enrollment, phone sign-in or
 * reset by SMS. Opened on the first line of the step's handler, it holds what these steps decide
 * alike, so that each decision is written once: the realm's settings or the page saying codes are
 * unavailable, a reload told from a resend, the claim on the limits before a send, checking a
 * code and what a rejected one reads, the code page's base, and who may get a code.
 */
public final class CodeStep {

    private static final Logger LOG = Logger.getLogger(CodeStep.class);
    /** A full queue is what a flood looks like: said once a minute per realm, not once per request. */
    private static final WarningThrottle QUEUE_FULL_WARNINGS = new WarningThrottle(Duration.ofMinutes(1));
    /** On an event of a login by a test number's fixed code. */
    public static final String TEST_NUMBER_DETAIL = "sms_test_number";
    /** A code that no SMS carried because its number is a test number. */
    public static final String TEST_NUMBER_ERROR = "sms_test_number";
    /** A number in Twilio's range for tests: no code is ever sent to it, so a provider approves nothing for it. */
    private static final PhoneNumber NOBODY = PhoneNumber.ofStoredE164("+15005550006");

    /** Why a user may not get a code, or sign in with one, now: the event's error and the metric's outcome. */
    public enum Refusal {
        UNKNOWN(Errors.USER_NOT_FOUND, "unknown_user"),
        DISABLED(Errors.USER_DISABLED, "user_disabled"),
        LOCKED(Errors.USER_TEMPORARILY_DISABLED, "user_locked"),
        NO_NUMBER("sms_no_number", "no_number");

        private final String error;
        private final String outcome;

        Refusal(String error, String outcome) {
            this.error = error;
            this.outcome = outcome;
        }

        public String error() {
            return error;
        }

        public String outcome() {
            return outcome;
        }
    }

    private final StepContext context;
    private final CodeSession.Scope scope;
    private final SmsSettings settings;
    private final CodeSession codes;
    private final CodeDelivery delivery;

    CodeStep(StepContext context, CodeSession.Scope scope, SmsSettings settings) {
        this.context = context;
        this.scope = scope;
        this.settings = settings;
        this.codes = scope == CodeSession.Scope.RESET
                ? new CodeSession(context.authSession(), scope, context.executionId())
                : new CodeSession(context.authSession(), scope);
        this.delivery = new CodeDelivery(context.session(), context.realm(), settings, () -> publicBase(context.session()));
    }

    /** The step for this request; empty after the page saying that codes are unavailable (broken settings). */
    public static Optional<CodeStep> open(AuthenticationFlowContext context, CodeSession.Scope scope) {
        return open(StepContext.of(context), scope);
    }

    /** The enrollment step for this request; empty after the page saying that codes are unavailable. */
    public static Optional<CodeStep> open(RequiredActionContext context) {
        return open(StepContext.of(context), CodeSession.Scope.ENROLLMENT);
    }

    private static Optional<CodeStep> open(StepContext context, CodeSession.Scope scope) {
        try {
            return Optional.of(new CodeStep(context, scope, RealmSmsSettings.load(context.session(), context.realm())));
        } catch (InvalidSettingsException e) {
            LOG.errorf("SMS settings of realm %s are invalid: %s", context.realm().getName(), e.getMessage());
            showUnavailable(context, scope, "sms_settings_invalid", CodeDelivery.SEND_FAILED_ERROR, "smsNotConfigured");
            return Optional.empty();
        }
    }

    /**
     * Shows the page that says codes cannot be had here, after recording why for the admin: for
     * a step the admin put where it cannot work. The caller logs what the admin must change.
     */
    public void unavailable(String reason, String error, String messageKey) {
        showUnavailable(context, scope, reason, error, messageKey);
    }

    private static void showUnavailable(StepContext context, CodeSession.Scope scope, String reason, String error, String messageKey) {
        UserModel user = context.user().get();
        EventBuilder event = context.event().clone().detail(Details.REASON, reason);
        (user == null ? event : event.user(user)).error(error);
        SmsPage page = blankPage(scope).markUnavailable();
        FormMessage message = new FormMessage(null, messageKey);
        boolean asksForNumber = scope == CodeSession.Scope.ENROLLMENT || scope == CodeSession.Scope.PHONE_SIGN_IN;
        context.challenge().accept(asksForNumber ? page.renderPhonePage(form(context, scope), message)
                : page.renderCodePage(form(context, scope), message));
    }

    public SmsSettings settings() {
        return settings;
    }

    /** How this step's codes look: reset codes are longer (see {@link SmsSettings#resetCodePolicy()}). */
    public CodePolicy codePolicy() {
        return scope == CodeSession.Scope.RESET ? settings.resetCodePolicy() : settings.codePolicy();
    }

    public CodeSession codes() {
        return codes;
    }

    public CodeDelivery delivery() {
        return delivery;
    }

    public KeycloakSession session() {
        return context.session();
    }

    public RealmModel realm() {
        return context.realm();
    }

    /** The flow's user; null before anyone is known. */
    public UserModel user() {
        return context.user().get();
    }

    public AuthenticationSessionModel authSession() {
        return context.authSession();
    }

    /** The request's event, for details of the step's outcome. */
    public EventBuilder event() {
        return context.event();
    }

    /** The pumping watch of the entry points that answer strangers. */
    public PumpingPauses pumping() {
        return new PumpingPauses(session(), realm(), settings);
    }

    /** Who holds which number in this realm. */
    public EnrolledNumbers numbers() {
        return new EnrolledNumbers(session(), realm(), SmsCredentialProvider.of(session()));
    }

    /** The number's blind index in this realm. */
    public String index(PhoneNumber phone) {
        return NumberIndex.of(RealmNumberKey.get(session(), realm()), phone);
    }

    /** True when a code for the current target is out and unused: a reload or the back button shows its page again, sending nothing. */
    public boolean hasCode() {
        return codes.target() != null && codes.challenge() != null;
    }

    /** True when a code to {@code target} is out already: a new one is a resend. */
    public boolean isResendTo(String target) {
        return target.equals(codes.target()) && codes.challenge() != null;
    }

    /** The language of texts for {@code user}, or for the visitor when nobody is known. */
    public Locale locale(UserModel user) {
        return session().getContext().resolveLocale(user);
    }

    /**
     * Sends a new code for {@code target} to the flow's user at {@code to}, once the region, the
     * cooldown and the limits allow it, by the first channel that takes it; a code that went out
     * becomes the one this step accepts, and its channel the one the page names.
     *
     * @param target what the code proves: a credential id at login, the number at enrollment
     * @param asked  the channel the user chose on the code page; null for the realm's order
     */
    public CodeDelivery.Result send(PhoneNumber to, String target, GatewayRouter.Channel asked) {
        Instant now = Instant.now();
        UserModel user = user();
        EventBuilder failures = event().clone().user(user);
        Optional<CodeDelivery.Result> refused = claim(to, failures);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<String> testCode = settings.testCode(to);
        if (testCode.isPresent()) {
            return sendToTestNumber(testCode.get(), target, now);
        }
        Locale locale = locale(user);
        CodeDelivery.Delivery delivery = this.delivery.deliverInOrder(this.delivery.order(to, asked),
                channel -> this.delivery.compose(to, locale, user, channel), "user " + user.getId(), failures);
        if (!delivery.sent()) {
            return CodeDelivery.Result.failed(delivery.failure());
        }
        issue(delivery.message().code(), target, now);
        codes.setChannel(delivery.channel());
        if (this.delivery.checksCodes(delivery.gateway())) {
            codes.setChecker(new CodeSession.Checker(delivery.gateway(), to.e164()));
        }
        return CodeDelivery.Result.SENT;
    }

    /**
     * A test number gets no SMS: at login, where the user holds it, its fixed code is the one
     * accepted; at enrollment, where nobody proved it yet, no code can be had for it.
     */
    private CodeDelivery.Result sendToTestNumber(String fixedCode, String target, Instant now) {
        boolean held = scope == CodeSession.Scope.LOGIN;
        issue(held ? fixedCode : OneTimeCodes.generate(codePolicy().codeLength()), target, now);
        codes.setChannel(GatewayRouter.Channel.SMS);
        SmsMetrics.testNumber(held ? "fixed_code" : "not_held");
        if (held) {
            codes.markTestNumber();
        } else {
            event().clone().user(user()).detail(Details.REASON, "not_held").error(TEST_NUMBER_ERROR);
        }
        return CodeDelivery.Result.SENT;
    }

    /**
     * Claims a send to {@code to} before any gateway is called: the number's region, the cooldown,
     * every limit and budget. Gives the refusal, or nothing when the code may go out.
     *
     * @param failures recorded as an error when the send is refused
     */
    public Optional<CodeDelivery.Result> claim(PhoneNumber to, EventBuilder failures) {
        return claim(to, index(to), failures);
    }

    /** The same, counting the number's codes under {@code numberKey}: its index, or what stands for it. */
    public Optional<CodeDelivery.Result> claim(PhoneNumber to, String numberKey, EventBuilder failures) {
        Optional<CodeDelivery.Result> refused = delivery.checkRegion(to, failures);
        if (refused.isPresent()) {
            return refused;
        }
        UserModel user = user();
        return claim(limitsOf(numberKey, to.countryCode(),
                user == null ? null : user.getId()), EnumSet.allOf(SendLimits.Exceeded.class), failures);
    }

    /** Claims {@code which} of the subject's limits; the cooldown starts when they allow the send. */
    public Optional<CodeDelivery.Result> claim(SendLimits.Subject subject, Set<SendLimits.Exceeded> which, EventBuilder failures) {
        Instant now = Instant.now();
        Optional<CodeDelivery.Result> refused = delivery.claim(subject, which, failures, now);
        if (refused.isEmpty()) {
            codes.markSent(now);
        }
        return refused.map(result -> result.limit() == SendLimits.Exceeded.COOLDOWN
                ? result.waiting(Math.max(1, SmsPage.roundedUpSeconds(codes.cooldownLeft(codePolicy().resendCooldown(), now)))) : result);
    }

    /**
     * The backoff of codes that strangers ask for {@code key} (a number's index, or at reset the
     * account's key): empty when a code may go now, else the refusal with the seconds to wait,
     * shown like the cooldown. Nothing is claimed: see {@link #backedOff}.
     */
    public Optional<CodeDelivery.Result> backoff(String key) {
        if (!settings.backoffPerNumber()) {
            return Optional.empty();
        }
        Duration wait = new NumberBackoff(session().singleUseObjects(), realm().getId()).waitFor(key, Instant.now());
        if (wait.isZero()) {
            return Optional.empty();
        }
        SmsMetrics.sendBlocked("backoff");
        return Optional.of(CodeDelivery.Result.backedOff(Math.max(1, SmsPage.roundedUpSeconds(wait))));
    }

    /** Counts a code that goes to {@code key} now, after its limits allowed it; the next one's wait shows on the page. */
    public void backedOff(String key) {
        if (!settings.backoffPerNumber()) {
            return;
        }
        Instant now = Instant.now();
        codes.holdUntil(now.plus(new NumberBackoff(session().singleUseObjects(), realm().getId()).sent(key, now)));
    }

    /**
     * Who a send counts against: this login, its client address, and the number (or, where the
     * number may not be looked up yet, what stands for it).
     *
     * @param userId the user the code is for; null before anyone is known, where the number's limit stands for the user's
     */
    public SendLimits.Subject limitsOf(String numberKey, int countryCode, String userId) {
        return new SendLimits.Subject(realm().getId(), codes.loginId(), userId, scope.sendPurpose(), numberKey, countryCode,
                ClientAddress.of(session().getContext().getConnection().getRemoteAddr()));
    }

    /** Makes {@code code} the one this step accepts, for {@code target} only, for the settings' lifetime; gives it as kept. */
    public CodeChallenge issue(String code, String target, Instant now) {
        CodeChallenge challenge = CodeChallenge.issue(code, scope.proves(target), now.plus(codePolicy().ttl()));
        codes.replace(challenge);
        codes.setTarget(target);
        return challenge;
    }

    /**
     * For a code that a job sends after the response: when the realm's first channel goes to a
     * gateway that makes and checks codes itself, that gateway checks entries, for every number
     * alike (a number nobody holds costs the same check).
     *
     * @param to the number, where the request knows it; null where only the job learns it (reset)
     */
    public void checkedByFirstGateway(PhoneNumber to) {
        delivery.firstChecker().ifPresent(gateway -> codes.setChecker(new CodeSession.Checker(gateway, to == null ? null : to.e164())));
    }

    /**
     * Checks a typed code against the one out for the current target; each entry claims one of the
     * code's attempts cluster-wide, and a right code gets through once. Where a provider made the
     * code the user got, an entry that got an attempt is put to it.
     */
    public Verification check(String input) {
        CodeUse uses = new CodeUse(session().singleUseObjects(), realm().getId());
        Predicate<String> approvedElsewhere = codes.checker().<Predicate<String>>map(checker -> entry -> delivery.approves(
                checker.gateway(), checker.to() != null ? PhoneNumber.ofStoredE164(checker.to()) : numberOfSentCode(uses),
                entry, user() == null ? event().clone() : event().clone().user(user()))).orElse(entry -> false);
        boolean testNumber = codes.isTestNumber();
        Verification verification = codes.check(input, scope.proves(codes.target()), codePolicy(), uses, approvedElsewhere);
        if (testNumber && verification.outcome() == Verification.Outcome.ACCEPTED) {
            event().detail(TEST_NUMBER_DETAIL, "true");
        }
        return verification;
    }

    /**
     * The number a job sent the current code to (reset); where it sent none, a number nobody is
     * sent codes to, so that the provider is asked all the same and every account costs one check.
     */
    private PhoneNumber numberOfSentCode(CodeUse uses) {
        CodeChallenge challenge = codes.challenge();
        return (challenge == null ? Optional.<String>empty() : uses.numberSentTo(challenge.hash()))
                .map(PhoneNumber::ofStoredE164).orElse(NOBODY);
    }

    /** What the user reads after a code that was not accepted. */
    public FormMessage rejection(Verification verification) {
        return VerificationMessages.forRejected(verification, codePolicy());
    }

    /** A page of this step's kind, empty. */
    public SmsPage page() {
        return blankPage(scope);
    }

    /** The code page's base: the code's length and the seconds until a new code may be sent. */
    public SmsPage codePage() {
        return page().withCodeLength(codePolicy().codeLength())
                .withResendIn(codes.cooldownLeft(codePolicy().resendCooldown(), Instant.now()))
                .withSmsOnly(settings.channels().equals(List.of(ChannelChoice.BY_SMS)));
    }

    /** The code page's base for codes to {@code to}: how the last code went, and, once one is out, the other ways offered. */
    public SmsPage codePage(PhoneNumber to) {
        GatewayRouter.Channel used = codes.channel();
        boolean out = codes.challenge() != null;
        return codePage().withChannels(used, out && delivery.offersCallInstead(to), out ? delivery.otherChannels(to, used) : List.of());
    }

    /** True for a code page button that asks for a code: a new one, a call, or another channel. */
    public static boolean asksForCode(MultivaluedMap<String, String> form) {
        return form.containsKey(SmsPage.RESEND) || form.containsKey(SmsPage.CALL) || form.containsKey(SmsPage.CHANNEL);
    }

    /**
     * The channel such a button asks for: a call, another channel, or for a new code the channel the
     * last one went by (after a call, the realm's order); null for the realm's order.
     */
    public GatewayRouter.Channel askedChannel(MultivaluedMap<String, String> form) {
        if (form.containsKey(SmsPage.CALL)) {
            return GatewayRouter.Channel.VOICE;
        } else if (form.containsKey(SmsPage.CHANNEL)) {
            return GatewayRouter.Channel.of(form.getFirst(SmsPage.CHANNEL)).filter(c -> c != GatewayRouter.Channel.VOICE).orElse(null);
        }
        return codes.challenge() == null || codes.channel() == GatewayRouter.Channel.VOICE ? null : codes.channel();
    }

    public void showCodePage(SmsPage page, FormMessage message) {
        context.challenge().accept(page.renderCodePage(form(context, scope), message));
    }

    public void showPhonePage(SmsPage page, FormMessage message) {
        context.challenge().accept(page.renderPhonePage(form(context, scope), message));
    }

    /** The code page after a wrong code, as Keycloak's failure challenge where the step has one. */
    public void showWrongCodePage(SmsPage page, FormMessage message) {
        context.failureChallenge().accept(page.renderCodePage(form(context, scope), message));
    }

    /**
     * Why {@code user} may not get a code or sign in with one now; empty when they may. Checked on
     * the request for a right code, and by the jobs before a send.
     */
    public static Optional<Refusal> refusal(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return Optional.of(Refusal.UNKNOWN);
        } else if (!user.isEnabled()) {
            return Optional.of(Refusal.DISABLED);
        } else if (BruteForceCount.isLockedOut(session, realm, user)) {
            return Optional.of(Refusal.LOCKED);
        } else if (SmsCredentialProvider.of(session).usableCredentials(user).isEmpty()) {
            return Optional.of(Refusal.NO_NUMBER);
        }
        return Optional.empty();
    }

    /** What a request leaves for after its response: its realm, client, address and event type. */
    public AfterResponse afterResponse(EventType eventType, String maskedNumber) {
        return new AfterResponse(session().getKeycloakSessionFactory(), realm().getId(),
                authSession().getClient().getClientId(), session().getContext().getConnection().getRemoteAddr(),
                eventType, maskedNumber, publicBase(session()));
    }

    private static URI publicBase(KeycloakSession session) {
        return session.getContext().getUri(UrlType.FRONTEND).getBaseUri();
    }

    /**
     * Hands a send to the background pool; when its queue, or this realm's share of it, is full the
     * code does not go out, and the admin gets an event and a log line.
     *
     * @return false when the queue was full
     */
    public boolean sendAfterResponse(BackgroundSends sends, Runnable job, EventBuilder failures) {
        if (sends.submit(realm().getId(), job)) {
            return true;
        }
        failures.clone().detail(CodeDelivery.REASON_DETAIL, "queue_full").error(CodeDelivery.SEND_FAILED_ERROR);
        if (QUEUE_FULL_WARNINGS.due(realm().getId(), Instant.now())) {
            LOG.warnf("SMS step in realm %s: the send queue (or this realm's share of it) is full, codes are not sent "
                    + "(said once per minute; every refused send is an event)", realm().getName());
        }
        return false;
    }

    /**
     * Counts a wrong code against the user it was meant for, found after the response; when the
     * queue is full it counts now, since a flood must not buy an attacker uncounted guesses.
     */
    public void countWrongAfterResponse(BackgroundSends sends, AfterResponse visit,
                                        BiFunction<KeycloakSession, RealmModel, Optional<UserModel>> whose) {
        WrongCodeJob job = new WrongCodeJob(visit, context.uri(), whose);
        if (!sends.submit(realm().getId(), job)) {
            job.run();
        }
    }

    private static SmsPage blankPage(CodeSession.Scope scope) {
        return switch (scope) {
            case LOGIN -> new SmsPage();
            case ENROLLMENT -> new SmsPage().forEnrollment();
            case PHONE_SIGN_IN -> new SmsPage().forPhoneSignIn(false);
            case RESET -> new SmsPage().forReset();
        };
    }

    /**
     * The reset page leaves out Keycloak's "Username or email: ..., restart login" block, and is in
     * the visitor's language, not the account's: Keycloak shows the block only when the flow has a
     * user and prefers that user's language, both only for accounts that exist.
     */
    private static LoginFormsProvider form(StepContext context, CodeSession.Scope scope) {
        LoginFormsProvider form = context.form().get();
        return scope == CodeSession.Scope.RESET ? form.setAuthContext(null).setUser(null) : form;
    }
}
