package io.github.keycloaksms.delivery;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.CallingGateway;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.metrics.SmsMetrics;

/**
 * Sends through the realm's gateway and, when that fails for a passing reason (timeout, 5xx,
 * 429, too many sends in flight, circuit open), once through the fallback gateway. A permanent
 * rejection is not tried elsewhere.
 */
public final class GatewayRouter {

    public static final String CIRCUIT_OPENED_ERROR = "sms_gateway_circuit_opened";
    public static final String CIRCUIT_CLOSED_ERROR = "sms_gateway_circuit_closed";
    public static final String GATEWAY_DETAIL = "sms_gateway";

    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EventBuilder events;

    /** @param events where a circuit's opening and closing are recorded, as errors of the send's event type */
    public GatewayRouter(KeycloakSession session, RealmModel realm, EventBuilder events) {
        this.session = session;
        this.realm = realm;
        this.events = events;
    }

    /** How a message leaves: as an SMS, or read out in a voice call. */
    public enum Channel { SMS, VOICE }

    public void send(SmsMessage message, SmsSettings settings, Channel channel) throws SmsSendException {
        try {
            sendThrough(settings.gateway(), message, settings, channel);
        } catch (SmsSendException e) {
            String fallback = settings.fallbackGateway();
            if (e.kind() != SmsSendException.Kind.TRANSIENT || fallback == null
                    || channel == Channel.VOICE && !canCall(session, fallback)) {
                throw e;
            }
            LOG.warnf("SMS to %s: gateway '%s' failed (%s), trying fallback gateway '%s'",
                    message.to().masked(), settings.gateway(), Redaction.excerpt(message, e.getMessage()), fallback);
            sendThrough(fallback, message, settings, channel);
        }
    }

    /** True when the realm allows calls and its gateway can make them: "call me instead" is offered. */
    public static boolean offersCalls(KeycloakSession session, SmsSettings settings) {
        if (!settings.voiceEnabled() || settings.gateway() == null) {
            return false;
        }
        return canCall(session, settings.gateway());
    }

    /** True when the gateway with this id is installed and can make calls. */
    public static boolean canCall(KeycloakSession session, String gatewayId) {
        return session.getProvider(SmsGateway.class, gatewayId) instanceof CallingGateway;
    }

    private void sendThrough(String id, SmsMessage message, SmsSettings settings, Channel channel) throws SmsSendException {
        SmsGatewayFactory factory = factory(id);
        GatewayGuard guard = GatewayGuard.of(id);
        if (!guard.tryEnter(realm.getId())) {
            SmsMetrics.sendShed(id, "busy");
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "gateway '" + id + "' has no place for another send on this node: at most " + guard.maxInFlight
                            + " in flight (max-in-flight), " + guard.maxInFlightPerRealm + " of them for one realm");
        }
        try {
            CircuitBreaker breaker = guard.breaker(realm.getId());
            if (!breaker.tryPass(Instant.now())) {
                SmsMetrics.sendShed(id, "circuit_open");
                throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                        "gateway '" + id + "' is not called for " + breaker.secondsOpen(Instant.now())
                                + " s more after repeated failures (circuit open)");
            }
            CircuitBreaker.Outcome outcome = CircuitBreaker.Outcome.UNKNOWN;
            long start = System.nanoTime();
            try {
                callGateway(id, factory, message, settings, channel);
                outcome = Duration.ofNanos(System.nanoTime() - start).compareTo(CircuitBreaker.SLOW) >= 0
                        ? CircuitBreaker.Outcome.SLOW_ANSWER : CircuitBreaker.Outcome.ANSWERED;
            } catch (SmsSendException e) {
                outcome = switch (e.kind()) {
                    case TRANSIENT -> CircuitBreaker.Outcome.TRANSIENT_FAILURE;
                    case REJECTED -> CircuitBreaker.Outcome.ANSWERED;
                    default -> CircuitBreaker.Outcome.UNKNOWN;
                };
                throw e;
            } finally {
                report(id, breaker.record(outcome, Instant.now()));
            }
        } finally {
            guard.leave(realm.getId());
        }
    }

    /** A gateway's bug becomes a failure like any other: a message for the user, not an error page. */
    private void callGateway(String id, SmsGatewayFactory factory, SmsMessage message, SmsSettings settings, Channel channel)
            throws SmsSendException {
        SmsGateway gateway = session.getProvider(SmsGateway.class, id);
        long start = System.nanoTime();
        String outcome = "sent";
        try {
            RealmGatewayConfig config = RealmGatewayConfig.of(session, factory, settings);
            if (channel == Channel.VOICE && gateway instanceof CallingGateway calling) {
                calling.call(message, config);
            } else if (channel == Channel.VOICE) {
                throw SmsSendException.notConfigured("gateway '" + id + "' cannot make voice calls");
            } else {
                gateway.send(message, config);
            }
        } catch (SmsSendException e) {
            outcome = e.kind().name();
            throw e;
        } catch (RuntimeException e) {
            outcome = SmsSendException.Kind.FAILED.name();
            throw new SmsSendException(SmsSendException.Kind.FAILED, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "gateway '" + id + "' failed unexpectedly: " + e.getClass().getName() + ": " + Redaction.excerpt(message, String.valueOf(e.getMessage())));
        } finally {
            SmsMetrics.sendAttempt(id, outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void report(String id, CircuitBreaker.Change change) {
        if (change == CircuitBreaker.Change.NONE) {
            return;
        }
        boolean opened = change == CircuitBreaker.Change.OPENED;
        if (opened) {
            LOG.warnf("SMS gateway '%s' in realm %s keeps failing: not called on this node for a while (circuit open)", id, realm.getName());
        } else {
            LOG.infof("SMS gateway '%s' in realm %s answers again (circuit closed)", id, realm.getName());
        }
        SmsMetrics.circuit(id, opened ? "opened" : "closed");
        events.clone().detail(GATEWAY_DETAIL, id).error(opened ? CIRCUIT_OPENED_ERROR : CIRCUIT_CLOSED_ERROR);
    }

    private SmsGatewayFactory factory(String id) throws SmsSendException {
        if (id == null) {
            throw SmsSendException.notConfigured("no SMS gateway is configured for this realm: set 'gateway' in the "
                    + "configuration of the sms-register required action");
        }
        SmsGatewayFactory factory = (SmsGatewayFactory) session.getKeycloakSessionFactory().getProviderFactory(SmsGateway.class, id);
        if (factory == null) {
            throw SmsSendException.notConfigured("the SMS gateway '" + id + "' is not installed");
        }
        return factory;
    }
}
