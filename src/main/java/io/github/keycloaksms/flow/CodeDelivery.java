package io.github.keycloaksms.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.code.CodeChallenge;
import io.github.keycloaksms.code.OneTimeCodes;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.GatewayRouter;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Sends a fresh code for one purpose, unless the resend cooldown forbids it. The cooldown starts
 * before the gateway is called, so a failed or slow send is not repeated by an impatient click.
 */
public final class CodeDelivery {

    public static final String SEND_FAILED_ERROR = "sms_send_failed";
    public static final String GATEWAY_DETAIL = "sms_gateway";
    public static final String REASON_DETAIL = "reason";
    public static final String ERROR_DETAIL = "sms_error";

    private static final Logger LOG = Logger.getLogger(CodeDelivery.class);

    /** What became of a request to send a code. */
    public record Result(Status status, SmsSendException failure) {

        public enum Status { SENT, COOLING_DOWN, FAILED }

        public boolean sent() {
            return status == Status.SENT;
        }

        /** What to tell the user, or null when the code went out. */
        public FormMessage userMessage() {
            return switch (status) {
                case SENT -> null;
                case COOLING_DOWN -> new FormMessage(null, "smsResendWait");
                case FAILED -> new FormMessage(null, failure.userMessageKey());
            };
        }
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final SmsSettings settings;
    private final CodeSession codes;

    public CodeDelivery(KeycloakSession session, RealmModel realm, SmsSettings settings, CodeSession codes) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
        this.codes = codes;
    }

    /**
     * @param event recorded as an error when the send fails; the caller's event is left as it is
     */
    public Result send(PhoneNumber to, String purpose, UserModel user, EventBuilder event) {
        Instant now = Instant.now();
        Duration left = codes.cooldownLeft(settings.codePolicy().resendCooldown(), now);
        if (!left.isZero()) {
            return new Result(Result.Status.COOLING_DOWN, null);
        }
        codes.markSent(now);

        String code = OneTimeCodes.generate(settings.codePolicy().codeLength());
        Duration ttl = settings.codePolicy().ttl();
        Locale locale = session.getContext().resolveLocale(user);
        SmsMessage message = new SmsMessage(to, SmsText.render(session, realm, locale, code, ttl), code, ttl, locale,
                realm.getName(), new SmsMessage.Recipient(user.getId(), user.getUsername(), user.getEmail(),
                        user.getFirstName(), user.getLastName()));
        try {
            new GatewayRouter(session).send(message, settings);
        } catch (SmsSendException e) {
            String why = message.redact(e.getMessage());
            LOG.errorf("SMS to %s for user %s in realm %s not sent through gateway '%s' (%s): %s",
                    to.masked(), user.getId(), realm.getName(), settings.gateway(), e.kind(), why);
            event.clone()
                    .user(user)
                    .detail(GATEWAY_DETAIL, String.valueOf(settings.gateway()))
                    .detail(REASON_DETAIL, e.kind().name().toLowerCase(Locale.ROOT))
                    .detail(ERROR_DETAIL, why)
                    .error(SEND_FAILED_ERROR);
            return new Result(Result.Status.FAILED, e);
        }
        codes.save(CodeChallenge.issue(code, purpose, now.plus(ttl)));
        return new Result(Result.Status.SENT, null);
    }
}
