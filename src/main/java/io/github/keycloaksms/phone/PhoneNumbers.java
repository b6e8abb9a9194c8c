package io.github.keycloaksms.phone;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;

/** Turns what a user typed into a {@link PhoneNumber} that can receive SMS, or says why not. */
public final class PhoneNumbers {

    /** Longest input worth parsing: E.164 has at most 15 digits, people add spaces and punctuation. */
    public static final int MAX_INPUT_LENGTH = 32;

    /**
     * ASCII digits and the punctuation people type in numbers. libphonenumber would quietly accept
     * Arabic-Indic or full-width digits and letters (vanity numbers); we do not.
     */
    private static final Pattern ALLOWED_INPUT = Pattern.compile("\\+?[0-9 ()./-]+");

    private static final Set<PhoneNumberType> SMS_CAPABLE =
            Set.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * @param input          what the user typed
     * @param defaultRegion  ISO 3166 region for numbers typed without a leading {@code +}; may be null
     * @param allowedRegions regions a number may belong to; empty means all
     */
    public static PhoneNumber parse(String input, String defaultRegion, Set<String> allowedRegions)
            throws PhoneNumberException {
        String trimmed = input == null ? "" : input.strip();
        if (trimmed.isEmpty()) {
            throw new PhoneNumberException(PhoneNumberException.MISSING);
        }
        if (trimmed.length() > MAX_INPUT_LENGTH || !ALLOWED_INPUT.matcher(trimmed).matches()) {
            throw new PhoneNumberException(PhoneNumberException.INVALID);
        }
        Phonenumber.PhoneNumber parsed = parseLibphonenumber(trimmed, defaultRegion);
        if (!UTIL.isValidNumber(parsed)) {
            throw new PhoneNumberException(PhoneNumberException.INVALID);
        }
        String region = UTIL.getRegionCodeForNumber(parsed);
        if (!allowedRegions.isEmpty() && !allowedRegions.contains(region)) {
            throw new PhoneNumberException(PhoneNumberException.REGION_NOT_ALLOWED);
        }
        if (!SMS_CAPABLE.contains(UTIL.getNumberType(parsed))) {
            throw new PhoneNumberException(PhoneNumberException.NOT_MOBILE);
        }
        return toPhoneNumber(parsed);
    }

    static PhoneNumber parseStored(String e164) {
        try {
            return toPhoneNumber(UTIL.parse(e164, null));
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("stored phone number is not in E.164 form", e);
        }
    }

    /** True for an ISO 3166 region code that libphonenumber knows, e.g. {@code DE}. */
    public static boolean isKnownRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }

    private static Phonenumber.PhoneNumber parseLibphonenumber(String input, String defaultRegion)
            throws PhoneNumberException {
        if (!input.startsWith("+") && defaultRegion == null) {
            throw new PhoneNumberException(PhoneNumberException.COUNTRY_CODE_MISSING);
        }
        try {
            return UTIL.parse(input, defaultRegion);
        } catch (NumberParseException e) {
            throw new PhoneNumberException(PhoneNumberException.INVALID);
        }
    }

    private static PhoneNumber toPhoneNumber(Phonenumber.PhoneNumber parsed) {
        return new PhoneNumber(UTIL.format(parsed, PhoneNumberFormat.E164), parsed.getCountryCode());
    }
}
