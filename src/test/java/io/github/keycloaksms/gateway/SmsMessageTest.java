package io.github.keycloaksms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.phone.PhoneNumber;

class SmsMessageTest {

    private static final SmsMessage MESSAGE = new SmsMessage(PhoneNumber.ofStoredE164("+4915123456789"), "text", "654321",
            Duration.ofMinutes(5), Locale.ENGLISH, "acme", new SmsMessage.Recipient("id", "jo", null, null, null));

    @Test
    void redactionBlanksTheCodeAndTheNumberInEveryForm() {
        String redacted = MESSAGE.redact("The 'To' number +4915123456789 (4915123456789) rejected code 654321");
        assertEquals("The 'To' number +49 ••• •••• 89 (+49 ••• •••• 89) rejected code [code]", redacted);
        assertEquals("", MESSAGE.redact(null));
    }

    @Test
    void toStringShowsNeitherCodeNorText() {
        assertFalse(MESSAGE.toString().contains("654321") || MESSAGE.toString().contains("4915123456789"));
    }
}
