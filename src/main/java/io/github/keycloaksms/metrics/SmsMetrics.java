package io.github.keycloaksms.metrics;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * The extension's meters in Keycloak's Micrometer registry, shown on the management endpoint's
 * {@code /metrics} when Keycloak runs with {@code --metrics-enabled=true}. Tags hold only fixed
 * vocabularies (gateway kinds, channels, outcomes, reasons): never a user, a number, a realm or a
 * gateway's name.
 */
public final class SmsMetrics {

    private static final MeterRegistry REGISTRY = Metrics.globalRegistry;

    private SmsMetrics() {
    }

    /**
     * One attempt to hand a message to a gateway; {@code channel} is sms, call, whatsapp or
     * telegram, {@code outcome} "sent" or the failure kind.
     */
    public static void sendAttempt(String gateway, String channel, String outcome, Duration took) {
        Counter.builder("keycloak.sms.sends")
                .description("Messages handed to a gateway, by gateway, channel and outcome")
                .tag("gateway", gateway).tag("channel", channel).tag("outcome", tagValue(outcome))
                .register(REGISTRY).increment();
        Timer.builder("keycloak.sms.send.duration")
                .description("Time a gateway took to accept or refuse a message")
                .tag("gateway", gateway).tag("channel", channel).tag("outcome", tagValue(outcome))
                .register(REGISTRY).record(took);
    }

    /** A pause of the pumping watch: started, monitored (would have started), ended or lifted; for a country or a prefix. */
    public static void pumpingPause(String scope, String change) {
        Counter.builder("keycloak.sms.pumping.pauses")
                .description("Pauses of the SMS pumping watch, by scope (country, prefix) and change")
                .tag("scope", scope).tag("change", tagValue(change))
                .register(REGISTRY).increment();
    }

    /** A code for a test number, which no SMS carried: fixed_code (its holder's), not_held (enrollment, sign-up), reset. */
    public static void testNumber(String outcome) {
        Counter.builder("keycloak.sms.test.numbers")
                .description("Codes for test numbers, which no SMS carried, by outcome")
                .tag("outcome", tagValue(outcome))
                .register(REGISTRY).increment();
    }

    /** A code entry put to the provider that made the code (Twilio Verify): approved, not_approved or failed. */
    public static void providerCheck(String gateway, String outcome) {
        Counter.builder("keycloak.sms.provider.checks")
                .description("Code entries checked by the provider that made the code, by gateway and outcome")
                .tag("gateway", gateway).tag("outcome", tagValue(outcome))
                .register(REGISTRY).increment();
    }

    /** A send that failed on one channel and went on to the next, e.g. from telegram to sms. */
    public static void channelFallback(String from, String to) {
        Counter.builder("keycloak.sms.channel.fallbacks")
                .description("Sends that failed on one channel and were tried on the next, by channel")
                .tag("from", from).tag("to", to)
                .register(REGISTRY).increment();
    }

    /** A send refused by the cooldown or a send limit before any gateway was called. */
    public static void sendBlocked(String reason) {
        Counter.builder("keycloak.sms.sends.blocked")
                .description("Sends refused by the resend cooldown or a send limit, by reason")
                .tag("reason", tagValue(reason))
                .register(REGISTRY).increment();
    }

    /** A send not handed to a gateway to spare the server: "busy" (max-in-flight reached) or "circuit_open". */
    public static void sendShed(String gateway, String reason) {
        Counter.builder("keycloak.sms.sends.shed")
                .description("Sends not handed to a gateway because it had too many in flight or its circuit was open")
                .tag("gateway", gateway).tag("reason", tagValue(reason))
                .register(REGISTRY).increment();
    }

    /** A gateway's circuit opened (it kept failing) or closed (a trial send went through), on this node. */
    public static void circuit(String gateway, String change) {
        Counter.builder("keycloak.sms.gateway.circuit")
                .description("Circuit breaker changes of a gateway on this node, by change (opened, closed)")
                .tag("gateway", gateway).tag("change", tagValue(change))
                .register(REGISTRY).increment();
    }

    /**
     * One code entry, by its outcome (accepted, wrong, malformed, expired, exhausted, no_code) and
     * the channel its code went by: "unknown" where it was chosen after the response (phone sign-in, reset).
     */
    public static void verification(String outcome, String channel) {
        Counter.builder("keycloak.sms.verifications")
                .description("Code entries, by outcome and channel")
                .tag("outcome", tagValue(outcome)).tag("channel", channel)
                .register(REGISTRY).increment();
    }

    /**
     * What became of a number typed at phone sign-in: code_sent, sign_up_code_sent, unknown_number,
     * user_disabled, user_locked, ambiguous, queue_full, signed_in, signed_up. Only the admin sees it.
     */
    public static void phoneSignIn(String outcome) {
        Counter.builder("keycloak.sms.phone.sign.in")
                .description("Numbers typed at phone sign-in, by what became of them")
                .tag("outcome", tagValue(outcome))
                .register(REGISTRY).increment();
    }

    /**
     * What became of a reset-by-SMS request: code_sent, unknown_user, no_number, user_disabled,
     * user_locked, region, limited, queue_full, accepted. Only the admin sees it.
     */
    public static void resetCode(String outcome) {
        Counter.builder("keycloak.sms.reset.codes")
                .description("Password resets by SMS, by what became of them")
                .tag("outcome", tagValue(outcome))
                .register(REGISTRY).increment();
    }

    /**
     * A delivery report a provider posted: by gateway kind, channel and outcome (sent, delivered,
     * not_delivered; refused for one that its gateway could not prove came from the provider).
     */
    public static void deliveryReport(String gateway, String channel, String outcome) {
        Counter.builder("keycloak.sms.delivery.reports")
                .description("Delivery reports posted by providers, by gateway kind, channel and outcome")
                .tag("gateway", gateway).tag("channel", channel).tag("outcome", tagValue(outcome))
                .register(REGISTRY).increment();
    }

    private static String tagValue(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
