package io.github.keycloaksms.delivery;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.config.ChannelChoice;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.CallingGateway;
import io.github.keycloaksms.gateway.CheckingGateway;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Sends through the realm's gateway and, when that fails for a passing reason (timeout, 5xx,
 * 429, too many sends in flight, circuit open), once through the fallback gateway. A permanent
 * rejection is not tried elsewhere.
 */
public final class GatewayRouter {

    public static final String CIRCUIT_OPENED_ERROR = "sms_gateway_circuit_opened";
    public static final String CIRCUIT_CLOSED_ERROR = "sms_gateway_circuit_closed";
    public static final String GATEWAY_DETAIL = "sms_gateway";
    public static final String CHANNEL_DETAIL = "sms_channel";
    /** A number as events may show it: masked. */
    public static final String NUMBER_DETAIL = "sms_phone";

    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EventBuilder events;
    private final Supplier<URI> publicBase;

    /**
     * @param events     where a circuit's opening and closing are recorded, as errors of the send's event type
     * @param publicBase this Keycloak's public base URL, under which providers post delivery reports;
     *                   asked only for a gateway that asks for them
     */
    public GatewayRouter(KeycloakSession session, RealmModel realm, EventBuilder events, Supplier<URI> publicBase) {
        this.session = session;
        this.realm = realm;
        this.events = events;
        this.publicBase = publicBase;
    }

    /** How a message leaves: as an SMS, read out in a voice call, or by WhatsApp or Telegram. */
    public enum Channel {
        SMS(ChannelChoice.SMS), VOICE("call"), WHATSAPP(ChannelChoice.WHATSAPP), TELEGRAM(ChannelChoice.TELEGRAM);

        private final String id;

        Channel(String id) {
            this.id = id;
        }

        /** As the realm's {@code channels} setting, the code page's buttons and events name it. */
        public String id() {
            return id;
        }

        public static Optional<Channel> of(String id) {
            return Arrays.stream(values()).filter(channel -> channel.id.equals(id)).findFirst();
        }
    }

    /**
     * Sends by {@code channel}: by SMS or call through the realm's gateway and, for a passing
     * failure, its fallback; by WhatsApp or Telegram through the gateway the realm's channels name.
     *
     * @return the name of the gateway that took the message
     */
    public String send(SmsMessage message, SmsSettings settings, Channel channel) throws SmsSendException {
        String first = firstGateway(settings, channel);
        try {
            sendThrough(route(settings, first), message, channel);
            return first;
        } catch (SmsSendException e) {
            // the fallback gateway is the realm's SMS gateway's: WhatsApp and Telegram fall back by channel instead
            String fallback = channel == Channel.WHATSAPP || channel == Channel.TELEGRAM ? null : settings.fallbackGateway();
            if (e.kind() != SmsSendException.Kind.TRANSIENT || fallback == null
                    || channel == Channel.VOICE && !canCall(session, realm, fallback)) {
                throw e;
            }
            LOG.warnf("SMS to %s: gateway '%s' failed (%s), trying fallback gateway '%s'",
                    message.to().masked(), settings.gateway(), Redaction.excerpt(message, e.getMessage()), fallback);
            sendThrough(route(settings, fallback), message, channel);
            return fallback;
        }
    }

    /** The gateway a message by {@code channel} goes to first: the channel's own, or for SMS and calls the realm's. */
    public static String firstGateway(SmsSettings settings, Channel channel) throws SmsSendException {
        if (channel == Channel.WHATSAPP || channel == Channel.TELEGRAM) {
            return settings.channelGateway(channel.id())
                    .orElseThrow(() -> SmsSendException.notConfigured("the realm's channels do not name a " + channel.id() + " gateway"));
        }
        return settings.gateway();
    }

    /**
     * Asks the gateway that made a code whether it approves {@code code} for {@code to}, bounded
     * like a send (at most so many in flight, not while its circuit is open).
     *
     * @throws SmsSendException when the gateway could not be asked
     */
    public boolean approves(SmsSettings settings, String gateway, PhoneNumber to, String code) throws SmsSendException {
        GatewayInstances.Route route = route(settings, gateway);
        String kind = route.factory().getId();
        if (!(session.getProvider(SmsGateway.class, kind) instanceof CheckingGateway checking)) {
            throw SmsSendException.notConfigured("gateway '" + gateway + "' does not check codes");
        }
        String outcome = "failed";
        try {
            boolean approved = through(route, () -> checking.approves(to, code,
                    RealmGatewayConfig.of(session, route.factory(), route.values(), true)));
            outcome = approved ? "approved" : "not_approved";
            return approved;
        } finally {
            SmsMetrics.providerCheck(kind, outcome);
        }
    }

    /** True when the realm's gateway of this name, or the installed gateway of this id, makes and checks codes itself. */
    public static boolean checksCodes(KeycloakSession session, RealmModel realm, String name) {
        return name != null && GatewayInstances.kindOf(session.getKeycloakSessionFactory(), realm, name)
                .map(kind -> session.getProvider(SmsGateway.class, kind.getId()) instanceof CheckingGateway).orElse(false);
    }

    /** True when the realm allows calls and its gateway can make them: "call me instead" is offered. */
    public static boolean offersCalls(KeycloakSession session, RealmModel realm, SmsSettings settings) {
        return settings.voiceEnabled() && settings.gateway() != null && canCall(session, realm, settings.gateway());
    }

    /** True when the realm's gateway of this name, or the installed gateway of this id, can make calls. */
    public static boolean canCall(KeycloakSession session, RealmModel realm, String name) {
        return GatewayInstances.kindOf(session.getKeycloakSessionFactory(), realm, name)
                .map(kind -> session.getProvider(SmsGateway.class, kind.getId()) instanceof CallingGateway).orElse(false);
    }

    private void sendThrough(GatewayInstances.Route route, SmsMessage message, Channel channel) throws SmsSendException {
        through(route, () -> {
            callGateway(route, message, channel);
            return null;
        });
    }

    /** One call to a provider: a call of its kind now in flight on this node, its answer counted by the gateway's circuit. */
    private <T> T through(GatewayInstances.Route route, ProviderCall<T> call) throws SmsSendException {
        String kind = route.factory().getId();
        GatewayGuard guard = GatewayGuard.of(kind);
        if (!guard.tryEnter(realm.getId())) {
            SmsMetrics.sendShed(kind, "busy");
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "gateway '" + route.name() + "' has no place for another call on this node: at most " + guard.maxInFlight
                            + " " + kind + " calls in flight (max-in-flight), " + guard.maxInFlightPerRealm + " of them for one realm");
        }
        try {
            CircuitBreaker breaker = guard.breaker(realm.getId() + "/" + route.name());
            if (!breaker.tryPass(Instant.now())) {
                SmsMetrics.sendShed(kind, "circuit_open");
                throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                        "gateway '" + route.name() + "' is not called for " + breaker.secondsOpen(Instant.now())
                                + " s more after repeated failures (circuit open)");
            }
            CircuitBreaker.Outcome outcome = CircuitBreaker.Outcome.UNKNOWN;
            long start = System.nanoTime();
            try {
                T answer = call.make();
                outcome = Duration.ofNanos(System.nanoTime() - start).compareTo(CircuitBreaker.SLOW) >= 0
                        ? CircuitBreaker.Outcome.SLOW_ANSWER : CircuitBreaker.Outcome.ANSWERED;
                return answer;
            } catch (SmsSendException e) {
                outcome = switch (e.kind()) {
                    case TRANSIENT -> CircuitBreaker.Outcome.TRANSIENT_FAILURE;
                    case REJECTED -> CircuitBreaker.Outcome.ANSWERED;
                    default -> CircuitBreaker.Outcome.UNKNOWN;
                };
                throw e;
            } finally {
                report(route, breaker.record(outcome, Instant.now()));
            }
        } finally {
            guard.leave(realm.getId());
        }
    }

    private interface ProviderCall<T> {
        T make() throws SmsSendException;
    }

    /** A gateway's bug becomes a failure like any other: a message for the user, not an error page. */
    private void callGateway(GatewayInstances.Route route, SmsMessage message, Channel channel) throws SmsSendException {
        String kind = route.factory().getId();
        SmsGateway gateway = session.getProvider(SmsGateway.class, kind);
        long start = System.nanoTime();
        String outcome = "sent";
        try {
            RealmGatewayConfig config = RealmGatewayConfig.of(session, route.factory(), route.values(), true);
            SmsMessage reported = route.factory().asksForReports(config)
                    ? DeliveryReports.address(message, publicBase.get(), realm, route.name(), events.getEvent()) : message;
            if (channel == Channel.VOICE && gateway instanceof CallingGateway calling) {
                calling.call(reported, config);
            } else if (channel == Channel.VOICE) {
                throw SmsSendException.notConfigured("gateway '" + route.name() + "' cannot make voice calls");
            } else {
                gateway.send(reported, config);
            }
        } catch (SmsSendException e) {
            outcome = e.kind().name();
            throw e;
        } catch (RuntimeException e) {
            outcome = SmsSendException.Kind.FAILED.name();
            throw new SmsSendException(SmsSendException.Kind.FAILED, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "gateway '" + route.name() + "' failed unexpectedly: " + e.getClass().getName() + ": "
                            + Redaction.excerpt(message, String.valueOf(e.getMessage())));
        } finally {
            SmsMetrics.sendAttempt(kind, channel.id(), outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void report(GatewayInstances.Route route, CircuitBreaker.Change change) {
        if (change == CircuitBreaker.Change.NONE) {
            return;
        }
        boolean opened = change == CircuitBreaker.Change.OPENED;
        if (opened) {
            LOG.warnf("SMS gateway '%s' in realm %s keeps failing: not called on this node for a while (circuit open)",
                    route.name(), realm.getName());
        } else {
            LOG.infof("SMS gateway '%s' in realm %s answers again (circuit closed)", route.name(), realm.getName());
        }
        SmsMetrics.circuit(route.factory().getId(), opened ? "opened" : "closed");
        events.clone().detail(GATEWAY_DETAIL, route.name()).error(opened ? CIRCUIT_OPENED_ERROR : CIRCUIT_CLOSED_ERROR);
    }

    private GatewayInstances.Route route(SmsSettings settings, String name) throws SmsSendException {
        if (name == null) {
            throw SmsSendException.notConfigured("no SMS gateway is configured for this realm: set 'gateway' in the "
                    + "configuration of the sms-register required action");
        }
        return GatewayInstances.route(session, realm, settings, name);
    }
}
