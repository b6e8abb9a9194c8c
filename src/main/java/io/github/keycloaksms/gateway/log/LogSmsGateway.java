package io.github.keycloaksms.gateway.log;

import org.jboss.logging.Logger;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;

/**
 * Writes the SMS to the server log instead of sending it. For development and demos only. The text
 * goes on one line (line breaks escaped), so that a log reader sees where each SMS ends.
 */
public class LogSmsGateway implements SmsGateway {

    private static final Logger LOG = Logger.getLogger(LogSmsGateway.class);

    @Override
    public void send(SmsMessage message, SmsSettings settings) {
        LOG.warnf("DEVELOPMENT ONLY - the 'log' SMS gateway sends nothing. SMS to %s: %s",
                message.to().masked(), message.text().replace("\r", "\\r").replace("\n", "\\n"));
    }
}
