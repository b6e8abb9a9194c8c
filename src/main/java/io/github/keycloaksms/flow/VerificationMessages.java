package io.github.keycloaksms.flow;

import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.code.CodePolicy;
import io.github.keycloaksms.code.Verification;

/** What the user reads after entering a code that was not accepted. */
final class VerificationMessages {

    private VerificationMessages() {
    }

    public static FormMessage forRejected(Verification verification, CodePolicy policy) {
        return switch (verification.outcome()) {
            case WRONG -> verification.challenge().attemptsLeft(policy) > 0
                    ? new FormMessage(SmsPage.CODE_FIELD, "smsCodeInvalid", verification.challenge().attemptsLeft(policy))
                    : new FormMessage(SmsPage.CODE_FIELD, "smsCodeExhausted");
            case SUPERSEDED -> verification.challenge().attemptsLeft(policy) > 0
                    ? new FormMessage(SmsPage.CODE_FIELD, "smsCodeReplaced", verification.challenge().attemptsLeft(policy))
                    : new FormMessage(SmsPage.CODE_FIELD, "smsCodeExhausted");
            case EXHAUSTED -> new FormMessage(SmsPage.CODE_FIELD, "smsCodeExhausted");
            case EXPIRED -> new FormMessage(SmsPage.CODE_FIELD, "smsCodeExpired");
            case MALFORMED -> new FormMessage(SmsPage.CODE_FIELD, "smsCodeMalformed", policy.codeLength());
            case NO_CODE -> new FormMessage(SmsPage.CODE_FIELD, "smsCodeMissing");
            case ACCEPTED -> throw new IllegalArgumentException("an accepted code has no error message");
        };
    }
}
