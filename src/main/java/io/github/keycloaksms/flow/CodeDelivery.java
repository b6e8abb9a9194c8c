package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.limits.ClientAddress;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Sends a fresh code for one purpose, unless the cooldown or a send limit forbids it. Both are
 * claimed before the gateway is called, so a failed or slow send is not repeated by an impatient
 * click, and concurrent requests cannot slip past them.
 */
public final class CodeDelivery {

    public static final String SEND_FAILED_ERROR = "sms_send_failed";
    public static final String SEND_LIMITED_ERROR = "sms_send_limited";
    public static final String GATEWAY_DETAIL = GatewayRouter.GATEWAY_DETAIL;
    public static final String REASON_DETAIL = "reason";
    public static final String ERROR_DETAIL = "sms_error";
    public static final String CHANNEL_DETAIL = "sms_channel";

    private static final Logger LOG = Logger.getLogger(CodeDelivery.class);

    /** What became of a request to send a code. */
    public record Result(Status status, SendLimits.Exceeded limit, SmsSendException failure) {

        public enum Status { SENT, LIMITED, FAILED }

        public boolean sent() {
            return status == Status.SENT;
        }

        /** What to tell the user, or null when the code went out. */
        public FormMessage userMessage() {
            return switch (status) {
                case SENT -> null;
                case LIMITED -> new FormMessage(null, limit.messageKey());
                case FAILED -> new FormMessage(null, failure.userMessageKey());
            };
        }
    }

    /** When each realm's budget was last reported, so that a pumping run does not flood the log: one line per 5 minutes. */
    private static final Map<String, Instant> BUDGET_WARNINGS = new ConcurrentHashMap<>();
    private static final Duration BUDGET_WARNING_INTERVAL = Duration.ofMinutes(5);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final SmsSettings settings;
    private final CodeSession codes;

    public CodeDelivery(KeycloakSession session, RealmModel realm, SmsSettings settings, CodeSession codes) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
        this.codes = codes;
    }

    private static void warnOfBudget(RealmModel realm, SendLimits.Exceeded budget, int countryCode, Instant now) {
        String key = realm.getId() + ":" + budget + (budget == SendLimits.Exceeded.COUNTRY ? ":" + countryCode : "");
        Instant last = BUDGET_WARNINGS.get(key);
        boolean due = last == null ? BUDGET_WARNINGS.putIfAbsent(key, now) == null
                : last.plus(BUDGET_WARNING_INTERVAL).isBefore(now) && BUDGET_WARNINGS.replace(key, last, now);
        if (due) {
            LOG.warnf("SMS budget reached in realm %s: %s (calling code +%d); codes are refused until the hour is over",
                    realm.getName(), budget == SendLimits.Exceeded.REALM ? "maxSendsPerRealmPerHour" : "maxSendsPerCountryPerHour",
                    countryCode);
        }
    }

    /**
     * @param kind        a login code to a proved number or an enrollment code to a new one
     * @param codePurpose what the code will prove; it is accepted for nothing else
     * @param event       recorded as an error when the send fails; the caller's event is left as it is
     */
    public Result send(PhoneNumber to, SendLimits.Purpose kind, String codePurpose, UserModel user, EventBuilder event) {
        return send(to, kind, codePurpose, user, event, false);
    }

    /**
     * @param callAsked the user asked for a call instead of an SMS; a landline number gets a call anyway
     */
    public Result send(PhoneNumber to, SendLimits.Purpose kind, String codePurpose, UserModel user, EventBuilder event, boolean callAsked) {
        Instant now = Instant.now();
        EventBuilder failures = event.clone().user(user);
        Optional<Result> refused = claim(to, kind, user.getId(), failures, now);
        if (refused.isPresent()) {
            return refused.get();
        }
        GatewayRouter.Channel channel = channel(settings, to, callAsked);
        Locale locale = session.getContext().resolveLocale(user);
        SmsMessage message = compose(to, locale, recipient(user));
        if (channel == GatewayRouter.Channel.VOICE) {
            message = message.withText(SmsText.renderVoice(session, realm, locale, message.code()));
        }
        Optional<SmsSendException> failure = deliver(session, realm, settings, message, "user " + user.getId(), failures, channel);
        if (failure.isPresent()) {
            return new Result(Result.Status.FAILED, null, failure.get());
        }
        issued(message, codePurpose, now);
        return new Result(Result.Status.SENT, null, null);
    }

    /** How a code to {@code to} goes out: by call when calls are on and the user asked for one or the number is a landline. */
    public static GatewayRouter.Channel channel(SmsSettings settings, PhoneNumber to, boolean callAsked) {
        return settings.voiceEnabled() && (callAsked || PhoneNumbers.isLandline(to)) ? GatewayRouter.Channel.VOICE : GatewayRouter.Channel.SMS;
    }

    /** True when "call me instead" makes sense for {@code to}: the realm's gateway calls, and the number gets SMS otherwise. */
    public static boolean offersCallInstead(KeycloakSession session, SmsSettings settings, PhoneNumber to) {
        return GatewayRouter.offersCalls(session, settings) && channel(settings, to, false) == GatewayRouter.Channel.SMS;
    }

    /**
     * Claims a send before any gateway is called: the number's region, the cooldown, the send
     * limits and budgets. Gives the refusal, or nothing when the code may go out.
     *
     * @param userId the user the code is for; null before anyone is known (phone sign-in), where
     *               the number's own limit stands for the user's
     * @param failures recorded as an error when the send is refused
     */
    public Optional<Result> claim(PhoneNumber to, SendLimits.Purpose kind, String userId, EventBuilder failures, Instant now) {
        try {
            PhoneNumbers.checkRegion(to, settings.allowedRegions());
        } catch (PhoneNumberException e) {
            SmsMetrics.sendBlocked("region");
            failures.clone().detail(REASON_DETAIL, "region_not_allowed").error(SEND_LIMITED_ERROR);
            return Optional.of(new Result(Result.Status.FAILED, null, new SmsSendException(SmsSendException.Kind.REJECTED,
                    e.messageKey(), "the number's region " + to.region() + " is not among the allowed regions")));
        }
        SendLimits.Subject subject = new SendLimits.Subject(realm.getId(), codes.loginId(), userId, kind,
                NumberIndex.of(RealmNumberKey.get(session, realm), to), to.countryCode(),
                ClientAddress.of(session.getContext().getConnection().getRemoteAddr()));
        Optional<Result> refused = refusal(realm, settings, subject, EnumSet.allOf(SendLimits.Exceeded.class), session, failures, now);
        if (refused.isEmpty()) {
            codes.markSent(now);
        }
        return refused;
    }

    /**
     * Claims {@code which} of the subject's limits; gives the refusal, after its metric, its event
     * and, for a budget, a log line.
     */
    public static Optional<Result> refusal(RealmModel realm, SmsSettings settings, SendLimits.Subject subject,
                                           Set<SendLimits.Exceeded> which, KeycloakSession session, EventBuilder failures, Instant now) {
        Optional<SendLimits.Exceeded> exceeded = new SendLimits(session.singleUseObjects())
                .claim(subject, settings.sendLimits(), now, which);
        if (exceeded.isEmpty()) {
            return Optional.empty();
        }
        SmsMetrics.sendBlocked(exceeded.get().name());
        if (exceeded.get() == SendLimits.Exceeded.REALM || exceeded.get() == SendLimits.Exceeded.COUNTRY) {
            warnOfBudget(realm, exceeded.get(), subject.countryCode(), now);
        }
        if (exceeded.get() != SendLimits.Exceeded.COOLDOWN) {
            failures.clone().detail(REASON_DETAIL, exceeded.get().name().toLowerCase(Locale.ROOT)).error(SEND_LIMITED_ERROR);
        }
        return Optional.of(new Result(Result.Status.LIMITED, exceeded.get(), null));
    }

    /** A fresh code and the SMS that carries it, in {@code locale}. */
    public SmsMessage compose(PhoneNumber to, Locale locale, SmsMessage.Recipient recipient) {
        String code = OneTimeCodes.generate(settings.codePolicy().codeLength());
        Duration ttl = settings.codePolicy().ttl();
        return new SmsMessage(to, SmsText.render(session, realm, locale, code, ttl), code, ttl, locale, realm.getName(), recipient);
    }

    /** Makes the message's code the one this session accepts, for {@code codePurpose} only. */
    public void issued(SmsMessage message, String codePurpose, Instant now) {
        issued(message.code(), codePurpose, now);
    }

    /** Makes {@code code} the one this session accepts, for {@code codePurpose} only, for the settings' lifetime. */
    public void issued(String code, String codePurpose, Instant now) {
        codes.replace(CodeChallenge.issue(code, codePurpose, now.plus(settings.codePolicy().ttl())));
    }

    public static SmsMessage.Recipient recipient(UserModel user) {
        return new SmsMessage.Recipient(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName());
    }

    /**
     * Hands the message to the realm's gateway (and its fallback). A failure is logged and
     * recorded as an event, with the code and the number redacted.
     *
     * @param whom for the log line: who the code is for, e.g. {@code "user <id>"}
     */
    public static Optional<SmsSendException> deliver(KeycloakSession session, RealmModel realm, SmsSettings settings,
                                                     SmsMessage message, String whom, EventBuilder failures) {
        return deliver(session, realm, settings, message, whom, failures, GatewayRouter.Channel.SMS);
    }

    private static Optional<SmsSendException> deliver(KeycloakSession session, RealmModel realm, SmsSettings settings,
                                                      SmsMessage message, String whom, EventBuilder failures,
                                                      GatewayRouter.Channel channel) {
        try {
            new GatewayRouter(session, realm, failures).send(message, settings, channel);
            return Optional.empty();
        } catch (SmsSendException e) {
            String why = message.redact(e.getMessage());
            LOG.errorf("%s to %s for %s in realm %s not sent through gateway '%s' (%s): %s",
                    channel == GatewayRouter.Channel.VOICE ? "Call" : "SMS", message.to().masked(), whom, realm.getName(),
                    settings.gateway(), e.kind(), why);
            failures.clone()
                    .detail(GATEWAY_DETAIL, String.valueOf(settings.gateway()))
                    .detail(REASON_DETAIL, e.kind().name().toLowerCase(Locale.ROOT))
                    .detail(CHANNEL_DETAIL, channel.name().toLowerCase(Locale.ROOT))
                    .detail(ERROR_DETAIL, why)
                    .error(SEND_FAILED_ERROR);
            return Optional.of(e);
        }
    }
}
