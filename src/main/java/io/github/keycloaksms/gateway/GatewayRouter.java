package io.github.keycloaksms.gateway;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.metrics.SmsMetrics;

/**
 * Sends through the realm's gateway and, when that fails for a passing reason (timeout, 5xx,
 * 429), once through the fallback gateway. A permanent rejection is not tried elsewhere.
 */
public final class GatewayRouter {

    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);

    private final KeycloakSession session;

    public GatewayRouter(KeycloakSession session) {
        this.session = session;
    }

    public void send(SmsMessage message, SmsSettings settings) throws SmsSendException {
        try {
            sendThrough(settings.gateway(), message, settings);
        } catch (SmsSendException e) {
            if (e.kind() != SmsSendException.Kind.TRANSIENT || settings.fallbackGateway() == null) {
                throw e;
            }
            LOG.warnf("SMS to %s: gateway '%s' failed (%s), trying fallback gateway '%s'",
                    message.to().masked(), settings.gateway(), message.excerpt(e.getMessage()), settings.fallbackGateway());
            sendThrough(settings.fallbackGateway(), message, settings);
        }
    }

    /** A gateway's bug becomes a failure like any other: a message for the user, not an error page. */
    private void sendThrough(String id, SmsMessage message, SmsSettings settings) throws SmsSendException {
        SmsGateway gateway = gateway(id);
        long start = System.nanoTime();
        String outcome = "sent";
        try {
            gateway.send(message, settings);
        } catch (SmsSendException e) {
            outcome = e.kind().name();
            throw e;
        } catch (RuntimeException e) {
            outcome = SmsSendException.Kind.FAILED.name();
            throw new SmsSendException(SmsSendException.Kind.FAILED, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "gateway '" + id + "' failed unexpectedly: " + e.getClass().getName() + ": " + message.excerpt(String.valueOf(e.getMessage())));
        } finally {
            SmsMetrics.sendAttempt(id, outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private SmsGateway gateway(String id) throws SmsSendException {
        if (id == null) {
            throw SmsSendException.notConfigured("no SMS gateway is configured for this realm: set 'gateway' in the "
                    + "configuration of the sms-register required action");
        }
        SmsGateway gateway = session.getProvider(SmsGateway.class, id);
        if (gateway == null) {
            throw SmsSendException.notConfigured("the SMS gateway '" + id + "' is not installed");
        }
        return gateway;
    }
}
