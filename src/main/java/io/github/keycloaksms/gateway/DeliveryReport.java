package io.github.keycloaksms.gateway;

import java.util.Objects;

/**
 * What a provider's report said had become of one message: read by
 * {@link SmsGatewayFactory#readReport} from a report the provider posted to
 * {@link SmsMessage#reportUrl()}, after the gateway made sure the provider sent it.
 */
@PublicApi(unstable = true)
public final class DeliveryReport {

    /** Where the message is. */
    public enum Outcome {
        /** Handed on towards the recipient, not yet known to have arrived. */
        SENT,
        /** Arrived (or was read). */
        DELIVERED,
        /** Will not arrive: expired, revoked, refused by the network. */
        NOT_DELIVERED
    }

    private final Outcome outcome;
    private final String status;
    private final String to;
    private final String tag;

    private DeliveryReport(Outcome outcome, String status, String to, String tag) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.status = status == null ? "" : status;
        this.to = to == null ? "" : to;
        this.tag = tag == null ? "" : tag;
    }

    /**
     * @param status the provider's own word for it, e.g. {@code expired}
     * @param to     the recipient as the report names it (E.164), or null
     * @param tag    the message's {@link SmsMessage#reportTag()} as the report carries it back, or null
     */
    public static DeliveryReport of(Outcome outcome, String status, String to, String tag) {
        return new DeliveryReport(outcome, status, to, tag);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The provider's word for where the message is; empty when it gave none. */
    public String status() {
        return status;
    }

    /** The recipient as the report names it; empty when it does not. */
    public String to() {
        return to;
    }

    /** The tag the message carried; empty when the report brought none back. */
    public String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return "DeliveryReport[" + outcome + ", " + status + "]";
    }
}
