package io.github.keycloaksms.reset;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.flow.AfterResponse;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.flow.PumpingPauses;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * What happens to a reset request after the visitor has their page: the code goes to the
 * account's first number, if the account exists, is enabled, not locked out, has a number, and
 * the number's limits and the budgets allow it. The visitor learns none of it.
 *
 * @param userId   the account the visitor named, or null when it does not exist
 * @param text     the SMS with the code, rendered in the language of the request (see {@link CodeStep#locale})
 */
record ResetCodeJob(AfterResponse visit, SmsSettings settings, String userId, String loginId, String clientAddress,
                    Code code, String text, Locale locale) implements Runnable {

    /** The code, its hash as the session keeps it, and its lifetime. */
    record Code(String value, String hash, Duration ttl) {
    }

    /** What the job claims; the visitor's request claimed the rest. */
    private static final EnumSet<SendLimits.Exceeded> NUMBER_AND_BUDGETS = EnumSet.of(SendLimits.Exceeded.USER,
            SendLimits.Exceeded.NUMBER, SendLimits.Exceeded.COUNTRY, SendLimits.Exceeded.REALM);

    @Override
    public void run() {
        visit.run("the reset code", this::send);
    }

    private void send(KeycloakSession session, RealmModel realm) {
        EventBuilder event = visit.event(session, realm);
        UserModel user = userId == null ? null : session.users().getUserById(realm, userId);
        if (user != null) {
            event.user(user);
        }
        Optional<CodeStep.Refusal> refusal = CodeStep.refusal(session, realm, user);
        if (refusal.isPresent()) {
            SmsMetrics.resetCode(refusal.get().outcome());
            event.error(refusal.get().error());
            return;
        }
        PhoneNumber to = SmsCredentialProvider.of(session).usableCredentials(user).get(0).phone().orElseThrow();
        CodeDelivery codes = new CodeDelivery(session, realm, settings, visit::publicBase);
        if (codes.checkRegion(to, event).isPresent()) {
            SmsMetrics.resetCode("region");
            return;
        }
        if (settings.testCode(to).isPresent()) {
            // test numbers sign in with their fixed code; a reset code for one can never be had
            SmsMetrics.testNumber("reset");
            event.detail(CodeDelivery.REASON_DETAIL, "reset").error(CodeStep.TEST_NUMBER_ERROR);
            return;
        }
        PumpingPauses pauses = new PumpingPauses(session, realm, settings);
        if (pauses.holds(to, event)) {
            SmsMetrics.resetCode("paused");
            event.detail(CodeDelivery.REASON_DETAIL, PumpingPauses.SEND_REFUSED_REASON).error(CodeDelivery.SEND_LIMITED_ERROR);
            return;
        }
        SendLimits.Subject subject = new SendLimits.Subject(realm.getId(), loginId, user.getId(), SendLimits.Purpose.RESET,
                NumberIndex.of(RealmNumberKey.get(session, realm), to), to.countryCode(), clientAddress);
        if (codes.claim(subject, NUMBER_AND_BUDGETS, event, Instant.now()).isPresent()) {
            SmsMetrics.resetCode("limited");
            return;
        }
        SmsMessage message = SmsMessage.to(to).text(text).code(code.value())
                .ttl(code.ttl()).locale(locale).realm(realm.getName())
                .user(codes.recipient(user)).build();
        CodeUse uses = new CodeUse(session.singleUseObjects(), realm.getId());
        uses.markSent(code.hash(), code.ttl());
        if (codes.firstChecker().isPresent()) {
            // the provider makes the code and must be asked about this number (see CodeStep#checkedByFirstGateway)
            uses.leaveNumber(code.hash(), to.e164(), code.ttl());
        }
        if (codes.deliverInOrder(codes.messageOrder(), channel -> message.but().channel(channel.id()).build(), "user " + user.getId(), event).sent()) {
            pauses.sent(to);
            SmsMetrics.resetCode("code_sent");
        } else {
            uses.unmarkSent(code.hash());
        }
    }
}
