package io.github.keycloaksms.gateway.log;

import org.jboss.logging.Logger;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;

/**
 * Writes the SMS to the server log instead of sending it. For development and demos only. The text
 * follows on lines of its own, each indented, so that a reader sees the SMS as it arrives and where
 * it ends, and no text (a realm's name is an admin's input) can pass for a log record of its own.
 *
 * @param enabled false in production mode unless the operator allowed it
 */
record LogSmsGateway(boolean enabled) implements SmsGateway {

    static final String DISABLED = "the 'log' gateway writes codes into the server log and works only in "
            + "development mode (kc.sh start-dev), unless the server's operator sets "
            + "--spi-sms-gateway--log--allow-in-production=true";

    private static final Logger LOG = Logger.getLogger(LogSmsGateway.class);
    private static final String INDENT = "    ";

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        if (!enabled) {
            throw SmsSendException.notConfigured(DISABLED);
        }
        LOG.warnf("DEVELOPMENT ONLY - the 'log' SMS gateway sends nothing. SMS to %s:\n%s", message.to().masked(), indented(message.text()));
    }

    private static String indented(String text) {
        return INDENT + String.join("\n" + INDENT, text.split("\\R", -1));
    }
}
