package io.github.keycloaksms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The arithmetic of docs/security.md's "Reset by SMS": how likely guessing takes over an account, at the defaults and at the limits. */
class ResetGuessingTest {

    private static final int TARGETED_ACCOUNTS = 100_000;

    /** Each code tried for an account is right with one chance in 10^digits; at most {@code tries} are tried a day. */
    private static double chancePerAccountPerDay(SmsSettings settings) {
        return settings.maxResetTriesPerAccountPerDay() / Math.pow(10, settings.resetCodePolicy().codeLength());
    }

    @Test
    void atTheDefaultsAHundredThousandTargetedAccountsGiveOneTakeoverIn200Days() throws Exception {
        SmsSettings defaults = SmsSettings.parse(Map.of());
        assertEquals(5e-8, chancePerAccountPerDay(defaults), 1e-20);
        double takeoversPerDay = TARGETED_ACCOUNTS * chancePerAccountPerDay(defaults);
        assertEquals(0.005, takeoversPerDay, 1e-12);
        assertTrue(takeoversPerDay < 0.01);
    }

    @Test
    void atTheLoosestSettingsAHundredThousandTargetedAccountsGiveTwoTakeoversADay() throws Exception {
        SmsSettings loosest = SmsSettings.parse(Map.of(SmsSettings.RESET_CODE_LENGTH.key(), String.valueOf(SmsSettings.RESET_CODE_LENGTH.min()),
                SmsSettings.MAX_RESET_TRIES_PER_ACCOUNT_PER_DAY.key(), String.valueOf(SmsSettings.MAX_RESET_TRIES_PER_ACCOUNT_PER_DAY.max())));
        assertEquals(20e-6, chancePerAccountPerDay(loosest), 1e-15);
        assertEquals(2.0, TARGETED_ACCOUNTS * chancePerAccountPerDay(loosest), 1e-9, "6 digits and 20 tries: two a day");
    }
}
