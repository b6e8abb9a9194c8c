package io.github.keycloaksms.reset;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;

import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsCredentialProviderFactory;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.login.BruteForceCount;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * What happens to a reset request after the visitor has their page: the code goes to the
 * account's first number, if the account exists, is enabled, not locked out, has a number, and
 * the number's limits and the budgets allow it. The visitor learns none of it.
 *
 * @param userId   the account the visitor named, or null when it does not exist
 * @param text     the SMS, rendered in the visitor's language with the code
 */
record ResetCodeJob(AfterResponse visit, SmsSettings settings, String userId, String loginId, String clientAddress,
                    String code, String text, Duration ttl, Locale locale) implements Runnable {

    @Override
    public void run() {
        visit.run("the reset code", this::send);
    }

    private void send(KeycloakSession session, RealmModel realm) {
        EventBuilder event = visit.event(session, realm);
        UserModel user = userId == null ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            skip(event, Errors.USER_NOT_FOUND, "unknown_user");
            return;
        }
        event.user(user);
        SmsCredentialProvider credentials =
                (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsCredentialProviderFactory.PROVIDER_ID);
        Optional<PhoneNumber> number = credentials.usableCredentials(user).stream().findFirst().flatMap(SmsCredentialModel::phone);
        if (!user.isEnabled()) {
            skip(event, Errors.USER_DISABLED, "user_disabled");
        } else if (BruteForceCount.isLockedOut(session, realm, user)) {
            skip(event, Errors.USER_TEMPORARILY_DISABLED, "user_locked");
        } else if (number.isEmpty()) {
            skip(event, "sms_no_number", "no_number");
        } else {
            deliver(session, realm, user, number.get(), event);
        }
    }

    private void deliver(KeycloakSession session, RealmModel realm, UserModel user, PhoneNumber to, EventBuilder event) {
        try {
            PhoneNumbers.checkRegion(to, settings.allowedRegions());
        } catch (PhoneNumberException e) {
            skip(event.detail(CodeDelivery.REASON_DETAIL, "region_not_allowed"), CodeDelivery.SEND_LIMITED_ERROR, "region");
            return;
        }
        SendLimits.Subject subject = new SendLimits.Subject(realm.getId(), loginId, user.getId(), SendLimits.Purpose.RESET,
                NumberIndex.of(RealmNumberKey.get(session, realm), to), to.countryCode(), clientAddress);
        EnumSet<SendLimits.Exceeded> numberAndBudgets = EnumSet.of(SendLimits.Exceeded.USER, SendLimits.Exceeded.NUMBER,
                SendLimits.Exceeded.COUNTRY, SendLimits.Exceeded.REALM);
        if (CodeDelivery.refusal(realm, settings, subject, numberAndBudgets, session, event, Instant.now()).isPresent()) {
            SmsMetrics.resetCode("limited");
            return;
        }
        SmsMessage message = new SmsMessage(to, text, code, ttl, locale, realm.getName(), CodeDelivery.recipient(user));
        if (CodeDelivery.deliver(session, realm, settings, message, "user " + user.getId(), event).isEmpty()) {
            SmsMetrics.resetCode("code_sent");
        }
    }

    /** No SMS: the admin learns why, the visitor nothing. */
    private static void skip(EventBuilder event, String error, String outcome) {
        SmsMetrics.resetCode(outcome);
        event.error(error);
    }
}
