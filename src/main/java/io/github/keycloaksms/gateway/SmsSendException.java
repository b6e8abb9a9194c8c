package io.github.keycloaksms.gateway;

import java.util.Locale;

/**
 * A gateway did not accept a message. The message is for the admin (server log, event) and never
 * carries the code or the full number; {@link #userMessageKey()} is what the user is shown.
 */
@PublicApi(unstable = true)
public class SmsSendException extends Exception {

    public enum Kind {
        /** Timeouts, connection errors, 5xx, 429: another gateway might succeed. */
        TRANSIENT,
        /** The gateway refused this message for good (4xx). */
        REJECTED,
        /** The realm's SMS settings are incomplete or wrong. */
        CONFIGURATION,
        /** The gateway broke in an unexpected way; whether the SMS left is unknown. */
        FAILED
    }

    public static final String USER_MESSAGE_UNAVAILABLE = "smsSendFailed";
    public static final String USER_MESSAGE_NOT_CONFIGURED = "smsNotConfigured";

    private final Kind kind;
    private final String userMessageKey;
    private String reason;

    public SmsSendException(Kind kind, String userMessageKey, String adminMessage) {
        this(kind, userMessageKey, adminMessage, null);
    }

    public SmsSendException(Kind kind, String userMessageKey, String adminMessage, Throwable cause) {
        super(adminMessage, cause);
        this.kind = kind;
        this.userMessageKey = userMessageKey;
    }

    public static SmsSendException notConfigured(String adminMessage) {
        return new SmsSendException(Kind.CONFIGURATION, USER_MESSAGE_NOT_CONFIGURED, adminMessage);
    }

    public Kind kind() {
        return kind;
    }

    public String userMessageKey() {
        return userMessageKey;
    }

    /**
     * Names a refusal more precisely than its kind, for the event's {@code reason} detail (e.g.
     * {@code fraud_guard}); gives this exception.
     */
    public SmsSendException because(String reason) {
        this.reason = reason;
        return this;
    }

    /** The event's {@code reason}: what {@link #because} named, else the kind in lower case. */
    public String reason() {
        return reason != null ? reason : kind.name().toLowerCase(Locale.ROOT);
    }
}
