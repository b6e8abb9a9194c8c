package io.github.keycloaksms.gateway;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * A gateway whose provider makes and checks the code itself (Twilio Verify): {@link #send} starts
 * the provider's verification for {@code message.to()} on {@code message.channel()}, leaving the
 * message's own code and text unused, and {@link #approves} asks the provider about an entry. The
 * caller keeps its attempt limit, single use and expiry: it asks only for an entry it has counted.
 */
@PublicApi(unstable = true)
public interface CheckingGateway extends SmsGateway {

    /**
     * True only when the provider positively approves {@code code} for {@code to}; false for any
     * other answer (another status, a missing field, no pending verification, an error document).
     *
     * @throws SmsSendException when the provider could not be asked (timeout, 5xx, bad credentials);
     *                          the caller treats the entry as not approved
     */
    boolean approves(PhoneNumber to, String code, GatewayConfig config) throws SmsSendException;
}
