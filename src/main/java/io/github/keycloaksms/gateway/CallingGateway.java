package io.github.keycloaksms.gateway;

/**
 * A gateway that can also call a number and read the code out: for "call me instead" and for
 * landline numbers. Implementing it is what makes a gateway offer calls.
 */
@PublicApi(unstable = true)
public interface CallingGateway extends SmsGateway {

    /**
     * Calls the number and speaks {@code message.text()}, the code read digit by digit, in
     * {@code message.locale()}.
     *
     * @throws SmsSendException as {@link #send} does
     */
    void call(SmsMessage message, GatewayConfig config) throws SmsSendException;
}
