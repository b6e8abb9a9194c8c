package io.github.keycloaksms.gateway;

import org.keycloak.provider.Provider;

/**
 * Delivers one SMS; a gateway that can also read a code out in a call implements {@link CallingGateway}. Implementations make at most one attempt per call: retries and failover are
 * the caller's decision, so that one user action never sends the same code twice. Calls are
 * bounded per node (at most a few in flight) and a gateway that keeps failing for a passing reason
 * is left alone for a while, so a slow provider cannot hold the server's threads.
 */
@PublicApi(unstable = true)
public interface SmsGateway extends Provider {

    /**
     * @param config this gateway's settings in the realm, and the HTTP client to use
     * @throws SmsSendException when the message was not accepted; its message is for the admin
     *                          and must carry neither the code nor the full number
     */
    void send(SmsMessage message, GatewayConfig config) throws SmsSendException;

    @Override
    default void close() {
    }
}
