package io.github.keycloaksms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.keycloak.events.EventType;

/** What a delivery report brings back of its send, and what is made of a tag that is not ours. */
class DeliveryReportTagTest {

    @Test
    void aTagReadsBackAsItWasWritten() {
        DeliveryReports.Tag tag = new DeliveryReports.Tag(EventType.RESET_PASSWORD, "telegram", "8f0c6a52-5b0e-4a5e-9c39-0d6c0a4f1e2b");
        assertEquals("RESET_PASSWORD telegram 8f0c6a52-5b0e-4a5e-9c39-0d6c0a4f1e2b", tag.toString());
        assertEquals(tag, DeliveryReports.Tag.parse(tag.toString()));
        DeliveryReports.Tag nobody = new DeliveryReports.Tag(EventType.LOGIN, "sms", null);
        assertEquals(nobody, DeliveryReports.Tag.parse("LOGIN sms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "LOGIN", "LOGIN fax", "LOGIN_ERROR sms", "DROP_TABLES sms", "LOGIN sms u 1",
            "LOGIN sms <script>", "LOGIN sms a/b"})
    void anythingElseIsAnUnknownLogin(String text) {
        assertEquals(new DeliveryReports.Tag(EventType.LOGIN, "unknown", null), DeliveryReports.Tag.parse(text));
    }
}
