package io.github.keycloaksms.gateway.log;

import org.jboss.logging.Logger;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;

/**
 * Writes the SMS to the server log instead of sending it. For development and demos only. The text
 * goes on one line (line breaks escaped), so that a log reader sees where each SMS ends.
 *
 * @param enabled false in production mode unless the operator allowed it
 */
record LogSmsGateway(boolean enabled) implements SmsGateway {

    static final String DISABLED = "the 'log' gateway writes codes into the server log and works only in "
            + "development mode (kc.sh start-dev), unless the server's operator sets "
            + "--spi-sms-gateway--log--allow-in-production=true";

    private static final Logger LOG = Logger.getLogger(LogSmsGateway.class);

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        if (!enabled) {
            throw SmsSendException.notConfigured(DISABLED);
        }
        LOG.warnf("DEVELOPMENT ONLY - the 'log' SMS gateway sends nothing. SMS to %s: %s",
                message.to().masked(), message.text().replace("\r", "\\r").replace("\n", "\\n"));
    }
}
