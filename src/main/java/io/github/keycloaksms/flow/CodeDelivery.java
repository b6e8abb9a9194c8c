package io.github.keycloaksms.flow;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.config.Setting;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Gets a code to a number in one realm: whether it may go (region, limits, budgets), the SMS or
 * call that carries it, and the hand-over to the realm's gateways. Every refusal and failure gets
 * its metric, its event and, where an admin must act, a log line; none names the code or the full
 * number. Used on requests (through {@link CodeStep}) and by the jobs that send after a response.
 */
public final class CodeDelivery {

    public static final String SEND_FAILED_ERROR = "sms_send_failed";
    public static final String SEND_LIMITED_ERROR = "sms_send_limited";
    /** The provider that made a code could not be asked about an entry; the entry was not accepted. */
    public static final String CHECK_FAILED_ERROR = "sms_check_failed";
    public static final String GATEWAY_DETAIL = GatewayRouter.GATEWAY_DETAIL;
    public static final String REASON_DETAIL = "reason";
    public static final String ERROR_DETAIL = "sms_error";
    public static final String CHANNEL_DETAIL = GatewayRouter.CHANNEL_DETAIL;

    private static final Logger LOG = Logger.getLogger(CodeDelivery.class);

    /**
     * What became of a request to send a code.
     *
     * @param waitSeconds for a send refused by the cooldown: how long until one may go out
     */
    public record Result(Status status, SendLimits.Exceeded limit, SmsSendException failure, long waitSeconds) {

        public enum Status { SENT, LIMITED, FAILED }

        static final Result SENT = new Result(Status.SENT, null, null, 0);

        static Result failed(SmsSendException failure) {
            return new Result(Status.FAILED, null, failure, 0);
        }

        public boolean sent() {
            return status == Status.SENT;
        }

        /** A send held back by the number's backoff: said like the cooldown, with the seconds left. */
        static Result backedOff(long seconds) {
            return new Result(Status.LIMITED, SendLimits.Exceeded.COOLDOWN, null, seconds);
        }

        /** This refusal by the cooldown, with the seconds left to say. */
        Result waiting(long seconds) {
            return new Result(status, limit, failure, seconds);
        }

        /** What to tell the user, or null when the code went out. */
        public FormMessage userMessage() {
            return switch (status) {
                case SENT -> null;
                case LIMITED -> limit == SendLimits.Exceeded.COOLDOWN ? new FormMessage(null, limit.messageKey(), waitSeconds)
                        : new FormMessage(null, limit.messageKey());
                case FAILED -> new FormMessage(null, failure.userMessageKey());
            };
        }
    }

    /** A reached budget is reported once per 5 minutes per realm and budget, so that a pumping run does not flood the log. */
    private static final WarningThrottle BUDGET_WARNINGS = new WarningThrottle(Duration.ofMinutes(5));

    private final KeycloakSession session;
    private final RealmModel realm;
    private final SmsSettings settings;
    private final Supplier<URI> publicBase;

    /** @param publicBase this Keycloak's public base URL, where providers post delivery reports; asked at a send */
    public CodeDelivery(KeycloakSession session, RealmModel realm, SmsSettings settings, Supplier<URI> publicBase) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
        this.publicBase = publicBase;
    }

    /** Refuses a number outside the realm's allowed regions, with its metric and event. */
    public Optional<Result> checkRegion(PhoneNumber to, EventBuilder failures) {
        try {
            PhoneNumbers.checkRegion(to, settings.allowedRegions());
            return Optional.empty();
        } catch (PhoneNumberException e) {
            SmsMetrics.sendBlocked("region");
            failures.clone().detail(REASON_DETAIL, "region_not_allowed").error(SEND_LIMITED_ERROR);
            return Optional.of(Result.failed(new SmsSendException(SmsSendException.Kind.REJECTED,
                    e.messageKey(), "the number's region " + to.region() + " is not among the allowed regions")));
        }
    }

    /**
     * Claims {@code which} of the subject's limits; gives the refusal, after its metric, its event
     * and, for a budget, a log line.
     */
    public Optional<Result> claim(SendLimits.Subject subject, Set<SendLimits.Exceeded> which, EventBuilder failures, Instant now) {
        Optional<SendLimits.Exceeded> exceeded = new SendLimits(session.singleUseObjects())
                .claim(subject, settings.sendLimits(), now, which);
        if (exceeded.isEmpty()) {
            return Optional.empty();
        }
        SmsMetrics.sendBlocked(exceeded.get().name());
        if (exceeded.get() == SendLimits.Exceeded.REALM || exceeded.get() == SendLimits.Exceeded.COUNTRY) {
            warnOfBudget(exceeded.get(), subject, now);
        }
        if (exceeded.get() != SendLimits.Exceeded.COOLDOWN) {
            failures.clone().detail(REASON_DETAIL, exceeded.get().name().toLowerCase(Locale.ROOT)).error(SEND_LIMITED_ERROR);
        }
        return Optional.of(new Result(Result.Status.LIMITED, exceeded.get(), null, 0));
    }

    private void warnOfBudget(SendLimits.Exceeded budget, SendLimits.Subject subject, Instant now) {
        boolean visitors = subject.purpose().askedByVisitors();
        String key = realm.getId() + ":" + budget + (visitors ? ":visitors" : "")
                + (budget == SendLimits.Exceeded.COUNTRY ? ":" + subject.countryCode() : "");
        if (BUDGET_WARNINGS.due(key, now)) {
            Setting setting = budget == SendLimits.Exceeded.REALM
                    ? visitors ? SmsSettings.MAX_VISITOR_SENDS_PER_REALM_PER_HOUR : SmsSettings.MAX_SENDS_PER_REALM_PER_HOUR
                    : visitors ? SmsSettings.MAX_VISITOR_SENDS_PER_COUNTRY_PER_HOUR : SmsSettings.MAX_SENDS_PER_COUNTRY_PER_HOUR;
            LOG.warnf("SMS budget reached in realm %s: %s (calling code +%d); codes are refused until the hour is over",
                    realm.getName(), setting.key(), subject.countryCode());
        }
    }

    /**
     * The channels a code to {@code to} tries, in order: the one the user asked for, else the realm's
     * order. A landline gets calls only, when calls are on; a call is only ever asked for.
     *
     * @param asked the channel the user chose on the code page; null for the realm's order
     */
    public List<GatewayRouter.Channel> order(PhoneNumber to, GatewayRouter.Channel asked) {
        if (settings.voiceEnabled() && (asked == GatewayRouter.Channel.VOICE || PhoneNumbers.isLandline(to))) {
            return List.of(GatewayRouter.Channel.VOICE);
        }
        List<GatewayRouter.Channel> order = messageOrder();
        return asked != null && order.contains(asked) ? List.of(asked) : order;
    }

    /** The realm's order of channels that carry a message (not calls): for a code whose message is composed up front. */
    public List<GatewayRouter.Channel> messageOrder() {
        return settings.channels().stream().map(choice -> GatewayRouter.Channel.of(choice.channel()).orElseThrow()).toList();
    }

    /** The channels the code page offers beside {@code used}: the realm's others, for a number that gets more than calls. */
    public List<GatewayRouter.Channel> otherChannels(PhoneNumber to, GatewayRouter.Channel used) {
        List<GatewayRouter.Channel> order = order(to, null);
        return order.equals(List.of(GatewayRouter.Channel.VOICE)) ? List.of()
                : order.stream().filter(channel -> channel != used).toList();
    }

    /** True when "call me instead" makes sense for {@code to}: the realm's gateway calls, and the number gets more than calls. */
    public boolean offersCallInstead(PhoneNumber to) {
        return GatewayRouter.offersCalls(session, realm, settings) && !order(to, null).contains(GatewayRouter.Channel.VOICE);
    }

    /** A fresh code and the message that carries it on {@code channel}, in {@code locale}. */
    public SmsMessage compose(PhoneNumber to, Locale locale, UserModel user, GatewayRouter.Channel channel) {
        String code = OneTimeCodes.generate(settings.codePolicy().codeLength());
        Duration ttl = settings.codePolicy().ttl();
        String text = channel == GatewayRouter.Channel.VOICE ? SmsText.renderVoice(session, realm, locale, code)
                : SmsText.render(session, realm, locale, code, ttl);
        return SmsMessage.to(to).text(text).code(code).channel(channel.id())
                .ttl(ttl).locale(locale).realm(realm.getName())
                .user(recipient(user)).build();
    }

    /** The user as a message template may use them; nobody yet for a null user. */
    public SmsMessage.Recipient recipient(UserModel user) {
        return user == null ? SmsMessage.Recipient.of(null, null, null, null, null)
                : SmsMessage.Recipient.of(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName());
    }

    /** What went out, by which channel and through which gateway; or, when nothing did, the last failure. */
    public record Delivery(GatewayRouter.Channel channel, SmsMessage message, String gateway, SmsSendException failure) {

        public boolean sent() {
            return failure == null;
        }
    }

    /**
     * Sends by the first of {@code order} that takes the message, each attempt with a fresh code;
     * each failure is logged and recorded as an event. A failure after which the message may have
     * left all the same ({@link SmsSendException.Kind#FAILED}) ends the attempts: never two codes.
     */
    public Delivery deliverInOrder(List<GatewayRouter.Channel> order, Function<GatewayRouter.Channel, SmsMessage> compose,
            String whom, EventBuilder failures) {
        Delivery delivery = null;
        for (GatewayRouter.Channel channel : order) {
            if (delivery != null) {
                SmsMetrics.channelFallback(delivery.channel().id(), channel.id());
            }
            delivery = deliver(compose.apply(channel), whom, failures, channel);
            if (delivery.sent() || delivery.failure().kind() == SmsSendException.Kind.FAILED) {
                break;
            }
        }
        return delivery;
    }

    /**
     * Hands the message to the realm's gateway for {@code channel} (and its fallback). A failure is
     * logged and recorded as an event, with the code and the number redacted.
     *
     * @param whom for the log line: who the code is for, e.g. {@code "user <id>"}
     */
    private Delivery deliver(SmsMessage message, String whom, EventBuilder failures, GatewayRouter.Channel channel) {
        try {
            String gateway = new GatewayRouter(session, realm, failures, publicBase).send(message, settings, channel);
            return new Delivery(channel, message, gateway, null);
        } catch (SmsSendException e) {
            String why = Redaction.redact(message, e.getMessage());
            LOG.errorf("%s to %s for %s in realm %s not sent through gateway '%s' (%s): %s",
                    channel == GatewayRouter.Channel.SMS ? "SMS" : channel == GatewayRouter.Channel.VOICE ? "Call" : "Message by " + channel.id(),
                    message.to().masked(), whom, realm.getName(), gatewayOf(channel), e.kind(), why);
            failures.clone()
                    .detail(GATEWAY_DETAIL, String.valueOf(gatewayOf(channel)))
                    .detail(REASON_DETAIL, e.reason())
                    .detail(CHANNEL_DETAIL, channel.name().toLowerCase(Locale.ROOT))
                    .detail(ERROR_DETAIL, why)
                    .error(SEND_FAILED_ERROR);
            return new Delivery(channel, message, null, e);
        }
    }

    /** True when the gateway of this name makes and checks codes itself: the code it sends is not ours. */
    public boolean checksCodes(String gateway) {
        return GatewayRouter.checksCodes(session, realm, gateway);
    }

    /**
     * The gateway a message by the realm's first channel goes to, when it makes and checks codes
     * itself; empty when codes are ours. For codes sent after the response, to every number alike.
     */
    public Optional<String> firstChecker() {
        try {
            String gateway = GatewayRouter.firstGateway(settings, messageOrder().get(0));
            return checksCodes(gateway) ? Optional.of(gateway) : Optional.empty();
        } catch (SmsSendException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code gateway}'s provider, which made the code, approves {@code code} for {@code to}.
     * A check that cannot be made is a no, with its log line and event.
     */
    public boolean approves(String gateway, PhoneNumber to, String code, EventBuilder failures) {
        try {
            return new GatewayRouter(session, realm, failures, publicBase).approves(settings, gateway, to, code);
        } catch (SmsSendException e) {
            String why = Redaction.redact(SmsMessage.to(to).code(code).build(), e.getMessage());
            LOG.errorf("Code for %s in realm %s not checked by gateway '%s' (%s): %s", to.masked(), realm.getName(), gateway, e.kind(), why);
            failures.clone().detail(GATEWAY_DETAIL, gateway).detail(REASON_DETAIL, e.reason()).detail(ERROR_DETAIL, why)
                    .error(CHECK_FAILED_ERROR);
            return false;
        }
    }

    private String gatewayOf(GatewayRouter.Channel channel) {
        return settings.channelGateway(channel.id()).orElse(settings.gateway());
    }
}
