package io.github.keycloaksms.phone;

import java.util.Objects;

/**
 * A validated mobile number in E.164 form. {@link #toString()} is masked so that a number
 * that slips into a log line or an exception message does not leak.
 *
 * <p>Gateways read it from {@link io.github.keycloaksms.gateway.SmsMessage#to()}: its public methods are part of the
 * gateway SPI, unstable until 1.0 like the rest of it.
 */
public final class PhoneNumber {

    private static final String HIDDEN = "••• ••••";

    private final String e164;
    private final int countryCode;
    private final String region;

    PhoneNumber(String e164, int countryCode, String region) {
        this.e164 = e164;
        this.countryCode = countryCode;
        this.region = region;
    }

    /** Rebuilds a number that was validated before, e.g. one read back from a stored credential. */
    public static PhoneNumber ofStoredE164(String e164) {
        return PhoneNumbers.parseStored(e164);
    }

    public String e164() {
        return e164;
    }

    /** The calling code, e.g. 49 for Germany. */
    public int countryCode() {
        return countryCode;
    }

    /** The ISO 3166 region the number belongs to, or {@value PhoneNumbers#NON_GEOGRAPHIC} for international networks. */
    public String region() {
        return region;
    }

    /** Shows the country code and the last two digits only, e.g. {@code +49 ••• •••• 12}. */
    public String masked() {
        return "+" + countryCode + " " + HIDDEN + " " + e164.substring(e164.length() - 2);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PhoneNumber that && e164.equals(that.e164);
    }

    @Override
    public int hashCode() {
        return Objects.hash(e164);
    }

    @Override
    public String toString() {
        return masked();
    }
}
