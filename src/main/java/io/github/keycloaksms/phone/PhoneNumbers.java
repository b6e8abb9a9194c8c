package io.github.keycloaksms.phone;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;

/** Turns what a user typed into a {@link PhoneNumber} that can receive SMS, or says why not. */
public final class PhoneNumbers {

    /**
     * The region of non-geographic "international networks" (+800, +870, +881, +882, +883...):
     * satellite phones and global services, a classic target of SMS pumping. Refused unless the
     * allowed regions name it.
     */
    public static final String NON_GEOGRAPHIC = "001";

    /** Longest input worth parsing: E.164 has at most 15 digits, people add spaces and punctuation. */
    public static final int MAX_INPUT_LENGTH = 32;
    /** Stored numbers already parsed: every page of a login reads the user's numbers again. */
    private static final Map<String, PhoneNumber> STORED = new ConcurrentHashMap<>();
    private static final int MAX_STORED = 10_000;

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
        return parse(input, defaultRegion, allowedRegions, false);
    }

    /** @param landlines true when landline numbers are welcome too (they get voice calls) */
    public static PhoneNumber parse(String input, String defaultRegion, Set<String> allowedRegions, boolean landlines)
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
        PhoneNumber number = toPhoneNumber(parsed);
        checkRegion(number, allowedRegions);
        PhoneNumberType type = UTIL.getNumberType(parsed);
        if (!SMS_CAPABLE.contains(type) && !(landlines && type == PhoneNumberType.FIXED_LINE)) {
            throw new PhoneNumberException(PhoneNumberException.NOT_MOBILE);
        }
        return number;
    }

    /** The number as people write it, with the country code: {@code +49 1512 3456789}. */
    public static String forReading(PhoneNumber number) {
        try {
            return UTIL.format(UTIL.parse(number.e164(), null), PhoneNumberFormat.INTERNATIONAL);
        } catch (NumberParseException e) {
            return number.e164();
        }
    }

    /** True for a landline number, which cannot receive SMS: it gets voice calls only. */
    public static boolean isLandline(PhoneNumber number) {
        try {
            return UTIL.getNumberType(UTIL.parse(number.e164(), null)) == PhoneNumberType.FIXED_LINE;
        } catch (NumberParseException e) {
            return false;
        }
    }

    /**
     * Refuses a number outside the allowed regions (empty: all but international networks). Run
     * at every send too, so that narrowing the regions stops codes to numbers enrolled before.
     */
    public static void checkRegion(PhoneNumber number, Set<String> allowedRegions) throws PhoneNumberException {
        boolean allowed = allowedRegions.isEmpty()
                ? !NON_GEOGRAPHIC.equals(number.region())
                : allowedRegions.contains(number.region());
        if (!allowed) {
            throw new PhoneNumberException(PhoneNumberException.REGION_NOT_ALLOWED);
        }
    }

    static PhoneNumber parseStored(String e164) {
        PhoneNumber known = STORED.get(e164);
        if (known != null) {
            return known;
        }
        try {
            PhoneNumber parsed = toPhoneNumber(UTIL.parse(e164, null));
            if (STORED.size() >= MAX_STORED) {
                STORED.clear();
            }
            STORED.put(e164, parsed);
            return parsed;
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("stored phone number is not in E.164 form", e);
        }
    }

    /** An example mobile number of the region as written there without the country code, e.g. {@code 01512 3456789}. */
    public static String nationalExample(String region) {
        Phonenumber.PhoneNumber example = UTIL.getExampleNumberForType(region, PhoneNumberType.MOBILE);
        return example == null ? "" : UTIL.format(example, PhoneNumberFormat.NATIONAL);
    }

    /** True for an ISO 3166 region code that libphonenumber knows, e.g. {@code DE}. */
    public static boolean isKnownRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }

    /** True for a region that numbers may be allowed from: a known one or {@value #NON_GEOGRAPHIC}. */
    public static boolean isAllowableRegion(String region) {
        return NON_GEOGRAPHIC.equals(region) || isKnownRegion(region);
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
        return new PhoneNumber(UTIL.format(parsed, PhoneNumberFormat.E164), parsed.getCountryCode(),
                UTIL.getRegionCodeForNumber(parsed));
    }
}
