package io.github.keycloaksms.phone;

/** Input that is not a usable mobile number; the message is a theme message key, never the input. */
public class PhoneNumberException extends Exception {

    public static final String INVALID = "smsPhoneInvalid";
    public static final String MISSING = "smsPhoneMissing";
    public static final String REGION_NOT_ALLOWED = "smsPhoneRegionNotAllowed";
    public static final String NOT_MOBILE = "smsPhoneNotMobile";
    public static final String COUNTRY_CODE_MISSING = "smsPhoneCountryCodeMissing";

    public PhoneNumberException(String messageKey) {
        super(messageKey, null, false, false);
    }

    public String messageKey() {
        return getMessage();
    }
}
