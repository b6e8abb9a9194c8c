package io.github.keycloaksms.gateway;

import org.keycloak.provider.Provider;

import io.github.keycloaksms.config.SmsSettings;

/**
 * Delivers one SMS. Implementations make at most one attempt per call: retries and failover are
 * the caller's decision, so that one user action never sends the same code twice.
 */
public interface SmsGateway extends Provider {

    /**
     * @throws SmsSendException when the message was not accepted; its message is for the admin
     *                          and must carry neither the code nor the full number
     */
    void send(SmsMessage message, SmsSettings settings) throws SmsSendException;

    @Override
    default void close() {
    }
}
