package io.github.keycloaksms.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.delivery.GatewayRouter;

class SmsPageTest {

    @Test
    void theResendCountdownRoundsUpSoItNeverSaysZeroWhileTheServerRefuses() {
        assertEquals(2, new SmsPage().withResendIn(Duration.ofMillis(1200)).getResendInSeconds());
        assertEquals(1, new SmsPage().withResendIn(Duration.ofMillis(1)).getResendInSeconds());
        assertEquals(0, new SmsPage().withResendIn(Duration.ZERO).getResendInSeconds());
    }

    @Test
    void thePageSaysHowTheCodeWentWhereItKnowsAndNamesNoChannelWhereItCannot() {
        GatewayRouter.Channel telegram = GatewayRouter.Channel.TELEGRAM;
        assertEquals("smsCodeSentTo", new SmsPage().getSentToKey());
        assertEquals("smsCodeSentByTelegram", new SmsPage().withChannels(telegram, false, List.of()).getSentToKey());
        assertEquals("smsCodeCalledTo", new SmsPage().withChannels(GatewayRouter.Channel.VOICE, false, List.of()).getSentToKey());
        assertEquals("smsPhoneSignInSentTo", new SmsPage().forPhoneSignIn(false).getSentToKey());
        assertEquals("smsPhoneSignInResentAnyChannel",
                new SmsPage().forPhoneSignIn(false).withSmsOnly(false).withResentNotice(true).getSentToKey());
        assertEquals("smsCodeSentToAnyChannel", new SmsPage().forPhoneSignIn(true).withSmsOnly(false).getSentToKey());
        assertEquals("smsResetCodeSentAnyChannel", new SmsPage().forReset().withSmsOnly(false).getSentToKey());
        assertEquals(List.of("smsSendBySmsInstead"), new SmsPage().withChannels(telegram, false, List.of(GatewayRouter.Channel.SMS))
                .getOtherChannels().stream().map(SmsPage.Choice::getLabel).toList());
    }

    @Test
    void aTypedValueTooLongToBeANumberIsNotEchoed() {
        assertEquals("0151 2345678", new SmsPage().withPhoneValue("0151 2345678").getPhoneValue());
        assertEquals("", new SmsPage().withPhoneValue("1".repeat(33)).getPhoneValue());
        assertEquals("", new SmsPage().withPhoneValue(null).getPhoneValue());
    }

    @Test
    void labelsAreOneLineAndShort() {
        assertEquals("Work phone", SmsPage.cleanLabel("  Work\nphone "));
        assertEquals("Work phone", SmsPage.cleanLabel("Work\u0000phone"));
        assertEquals(SmsPage.MAX_LABEL_LENGTH, SmsPage.cleanLabel("x".repeat(200)).length());
        assertNull(SmsPage.cleanLabel(" \t "));
        assertNull(SmsPage.cleanLabel(null));
    }

    @Test
    void theUserChoosesANumberOnlyWhileNoneIsShown() {
        List<SmsPage.Choice> two = List.of(new SmsPage.Choice("a", "Work"), new SmsPage.Choice("b", "Home"));

        assertTrue(new SmsPage().withChoices(two).isChoosing());
        assertFalse(new SmsPage().withChoices(two).withShownPhone("+49 ••• •••• 81").isChoosing());
        assertFalse(new SmsPage().isChoosing());
    }

    @Test
    void theDefaultRegionIsNamedInTheUsersLanguageWithAnExample() {
        SmsPage page = new SmsPage().withDefaultRegion("DE", Locale.GERMAN);

        assertEquals("Deutschland", page.getDefaultRegionName());
        assertTrue(page.getNationalExample().startsWith("0"), page.getNationalExample());
        assertNull(new SmsPage().withDefaultRegion(null, Locale.GERMAN).getDefaultRegionName());
    }

    @Test
    void aPhonePageWithAProfileNumberConfirmsIt() {
        assertTrue(new SmsPage().withNumberToConfirm(null, true).isFromProfile());
        assertFalse(new SmsPage().withNumberToConfirm(new SmsPage.Choice("c", "+49 ••• 81"), true).isFromProfile());
    }
}
