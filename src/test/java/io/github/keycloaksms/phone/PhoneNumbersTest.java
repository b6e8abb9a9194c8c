package io.github.keycloaksms.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    private static String rejection(String input, String defaultRegion, Set<String> allowed) {
        return assertThrows(PhoneNumberException.class, () -> PhoneNumbers.parse(input, defaultRegion, allowed)).messageKey();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+49 151 23456789", "+4915123456789", "+49 (151) 234-567-89", " +49.151.23456789 "})
    void spellingsOfOneNumberNormaliseToTheSameE164(String input) throws Exception {
        assertEquals("+4915123456789", PhoneNumbers.parse(input, null, Set.of()).e164());
    }

    @Test
    void nationalInputUsesTheDefaultRegion() throws Exception {
        assertEquals("+4915123456789", PhoneNumbers.parse("0151 23456789", "DE", Set.of()).e164());
        assertEquals("+12015550123", PhoneNumbers.parse("(201) 555-0123", "US", Set.of()).e164());
    }

    @Test
    void nationalInputWithoutDefaultRegionAsksForTheCountryCode() {
        assertEquals(PhoneNumberException.COUNTRY_CODE_MISSING, rejection("0151 23456789", null, Set.of()));
    }

    @Test
    void internationalNetworksAreRefusedUnlessAllowedByName() throws Exception {
        for (int callingCode : new int[] {870, 881, 882}) {
            com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
            String example = util.format(util.getExampleNumberForNonGeoEntity(callingCode),
                    com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.E164);
            assertEquals(PhoneNumberException.REGION_NOT_ALLOWED, rejection(example, null, Set.of()), example);
            assertEquals(PhoneNumberException.REGION_NOT_ALLOWED, rejection(example, null, Set.of("DE")), example);
            PhoneNumber stored = PhoneNumber.ofStoredE164(example);
            assertEquals(PhoneNumbers.NON_GEOGRAPHIC, stored.region());
            PhoneNumbers.checkRegion(stored, Set.of(PhoneNumbers.NON_GEOGRAPHIC));
        }
    }

    @Test
    void theRegionIsCheckedAgainForANumberEnrolledBefore() throws Exception {
        PhoneNumber enrolled = PhoneNumbers.parse("+49 151 23456789", null, Set.of());
        PhoneNumbers.checkRegion(enrolled, Set.of("DE", "AT"));
        assertThrows(PhoneNumberException.class, () -> PhoneNumbers.checkRegion(enrolled, Set.of("AT")));
    }

    @Test
    void emptyInputIsMissing() {
        assertEquals(PhoneNumberException.MISSING, rejection("", "DE", Set.of()));
        assertEquals(PhoneNumberException.MISSING, rejection("   ", "DE", Set.of()));
        assertEquals(PhoneNumberException.MISSING, rejection(null, "DE", Set.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "abc", "+49 151 CALLME1", "+49 151 2345678٩",      // letters, an Arabic-Indic digit
            "+４９１５１２３４５６７８９",                         // full-width digits
            "+49 151 23456789; DROP TABLE", "+49\n15123456789", "+0 000", "++4915123456789"})
    void junkIsInvalid(String input) {
        assertEquals(PhoneNumberException.INVALID, rejection(input, "DE", Set.of()));
    }

    @Test
    void hugeInputIsRejectedBeforeParsing() {
        assertEquals(PhoneNumberException.INVALID, rejection("1".repeat(10_000), "DE", Set.of()));
    }

    @Test
    void numbersOutsideTheAllowedRegionsAreRejected() throws Exception {
        assertEquals(PhoneNumberException.REGION_NOT_ALLOWED, rejection("+12015550123", null, Set.of("DE", "AT")));
        assertEquals("+4915123456789", PhoneNumbers.parse("+4915123456789", null, Set.of("DE", "AT")).e164());
    }

    @Test
    void landlinesCannotReceiveSms() {
        // Berlin fixed line
        assertEquals(PhoneNumberException.NOT_MOBILE, rejection("+49 30 12345678", null, Set.of()));
        // UK freephone
        assertEquals(PhoneNumberException.NOT_MOBILE, rejection("+44 800 123 4567", null, Set.of()));
    }

    @Test
    void withVoiceCallsLandlinesAreWelcomeButOtherNonMobileNumbersAreNot() throws Exception {
        PhoneNumber landline = PhoneNumbers.parse("+49 30 12345678", null, Set.of(), true);
        assertTrue(PhoneNumbers.isLandline(landline));
        assertFalse(PhoneNumbers.isLandline(PhoneNumbers.parse("+49 151 23456789", null, Set.of(), true)));
        assertThrows(PhoneNumberException.class, () -> PhoneNumbers.parse("+44 800 123 4567", null, Set.of(), true), "freephone");
    }

    @Test
    void maskShowsCountryCodeAndLastTwoDigitsOnly() throws Exception {
        PhoneNumber phone = PhoneNumbers.parse("+4915123456789", null, Set.of());
        assertEquals("+49 ••• •••• 89", phone.masked());
        assertEquals(phone.masked(), phone.toString());
        assertFalse(phone.masked().contains("151"));
    }

    @Test
    void storedNumbersRoundTrip() throws Exception {
        PhoneNumber phone = PhoneNumbers.parse("+44 7400 123456", null, Set.of());
        assertEquals(phone, PhoneNumber.ofStoredE164(phone.e164()));
    }

    @Test
    void regionsAreCheckedAgainstLibphonenumber() {
        assertEquals(true, PhoneNumbers.isKnownRegion("de"));
        assertEquals(false, PhoneNumbers.isKnownRegion("XX"));
        assertEquals(false, PhoneNumbers.isKnownRegion(null));
    }
}
