package io.github.keycloaksms.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.phone.PhoneNumber;

class RedactionTest {

    private static final SmsMessage MESSAGE = SmsMessage.to(PhoneNumber.ofStoredE164("+4915123456789")).text("text").code("654321")
            .ttl(Duration.ofMinutes(5)).locale(Locale.ENGLISH).realm("acme")
            .user(SmsMessage.Recipient.of("id", "jo", null, null, null)).build();

    @Test
    void redactionBlanksTheCodeAndTheNumberInEveryForm() {
        String redacted = Redaction.redact(MESSAGE, "The 'To' number +4915123456789 (4915123456789) rejected code 654321");
        assertEquals("The 'To' number +49 ••• •••• 89 (+49 ••• •••• 89) rejected code [code]", redacted);
        assertEquals("", Redaction.redact(MESSAGE, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+49 151 2345 6789", "0049-151-23456789", "0151 23456789", "(0151) 234 567 89",
            "+49 (0)151/23456789", "49.151.234.567.89", "15123456789"})
    void theNumberIsBlankedAsPeopleAndGatewaysWriteIt(String written) {
        String redacted = Redaction.redact(MESSAGE, "unknown subscriber " + written + ", code 654 321.");
        assertFalse(redacted.replaceAll("\\D", "").contains("23456"), redacted);
        assertFalse(redacted.contains("654 321"), redacted);
    }

    @Test
    void anExcerptIsOneRedactedLineOfAtMostAHundredCharacters() {
        String excerpt = Redaction.excerpt(MESSAGE, "error\n\tfor +4915123456789: " + "x".repeat(500));
        assertTrue(excerpt.length() <= Redaction.MAX_EXCERPT, excerpt);
        assertFalse(excerpt.contains("\n") || excerpt.contains("4915123456789"), excerpt);
        assertTrue(excerpt.startsWith("error for +49 ••• •••• 89: xxx"), excerpt);
    }

    @Test
    void toStringShowsNeitherCodeNorText() {
        assertFalse(MESSAGE.toString().contains("654321") || MESSAGE.toString().contains("4915123456789"));
    }
}
