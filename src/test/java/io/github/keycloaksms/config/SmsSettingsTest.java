package io.github.keycloaksms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.InvalidSettingsException;

class SmsSettingsTest {

    @Test
    void emptyConfigGivesTheDocumentedDefaults() throws Exception {
        SmsSettings settings = SmsSettings.parse(Map.of());
        assertNull(settings.gateway());
        assertNull(settings.fallbackGateway());
        assertEquals(6, settings.codePolicy().codeLength());
        assertEquals(Duration.ofSeconds(300), settings.codePolicy().ttl());
        assertEquals(5, settings.codePolicy().maxAttempts());
        assertEquals(Duration.ofSeconds(30), settings.codePolicy().resendCooldown());
        assertFalse(settings.verifyOnly());
        assertTrue(settings.uniqueNumbers());
        assertEquals(Set.of(), settings.allowedRegions());
        assertNull(settings.defaultRegion());
        assertEquals(List.of(ChannelChoice.BY_SMS), settings.channels());
    }

    @Test
    void channelsAreReadInTheirOrderAndBadOnesAreNamed() throws Exception {
        assertEquals(List.of(new ChannelChoice("telegram", "tg"), ChannelChoice.BY_SMS, new ChannelChoice("whatsapp", "wa-de")),
                SmsSettings.parse(Map.of("channels", " Telegram = tg ##sms, whatsapp=wa-de")).channels());

        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> SmsSettings.parse(Map.of("channels", "sms##sms##whatsapp##pigeon=coop##sms=log")));
        assertEquals(List.of("channels: sms is listed twice", "channels: 'whatsapp' is not a channel: sms, whatsapp=<gateway> or "
                        + "telegram=<gateway>", "channels: 'pigeon=coop' is not a channel: sms, whatsapp=<gateway> or telegram=<gateway>",
                "channels: sms is listed twice"),
                e.problems().stream().map(p -> p.key() + ": " + p.message()).toList());
    }

    @Test
    void valuesAreRead() throws Exception {
        SmsSettings settings = SmsSettings.parse(Map.of(
                "gateway", "log", "codeLength", "8", "codeTtl", "600", "maxAttempts", "3", "resendCooldown", "0",
                "defaultRegion", "de", "allowedRegions", "DE##at", "verifyOnly", "true", "uniqueNumbers", "false",
                "from", " +4915100000000 "));
        assertEquals("log", settings.gateway());
        assertEquals(8, settings.codePolicy().codeLength());
        assertEquals(Duration.ofSeconds(600), settings.codePolicy().ttl());
        assertEquals(3, settings.codePolicy().maxAttempts());
        assertEquals(Duration.ZERO, settings.codePolicy().resendCooldown());
        assertEquals("DE", settings.defaultRegion());
        assertEquals(Set.of("DE", "AT"), settings.allowedRegions());
        assertTrue(settings.verifyOnly());
        assertFalse(settings.uniqueNumbers());
        assertEquals("+4915100000000", settings.get("from"));
    }

    @Test
    void blankValuesMeanDefault() throws Exception {
        SmsSettings settings = SmsSettings.parse(Map.of("gateway", " ", "codeLength", ""));
        assertNull(settings.gateway());
        assertEquals(6, settings.codePolicy().codeLength());
    }

    @Test
    void badValuesAreReportedByKeyTogether() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> SmsSettings.parse(Map.of(
                "codeLength", "5", "codeTtl", "601", "maxAttempts", "abc", "resendCooldown", "-1",
                "defaultRegion", "XX", "allowedRegions", "DE##ZZ", "verifyOnly", "yes")));
        assertEquals(Set.of("codeLength", "codeTtl", "maxAttempts", "resendCooldown", "defaultRegion", "allowedRegions", "verifyOnly"),
                Set.copyOf(e.problems().stream().map(InvalidSettingsException.Problem::key).toList()));
        assertTrue(e.getMessage().contains("codeTtl: must be a whole number from 30 to 600"), e.getMessage());
        assertTrue(e.getMessage().contains("ZZ"), e.getMessage());
    }

    @Test
    void nonAsciiDigitsAreNotNumbers() {
        assertThrows(InvalidSettingsException.class, () -> SmsSettings.parse(Map.of("codeLength", "٦")));
        assertThrows(InvalidSettingsException.class, () -> SmsSettings.parse(Map.of("codeTtl", "+300")));
    }
}
