package io.github.keycloaksms.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.common.util.KeycloakUriBuilder;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.gateway.DeliveryReport;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.metrics.SmsMetrics;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Delivery reports: where a message asks its provider to post them, and what becomes of one that
 * arrives. Only a report its gateway proves the provider sent counts; it counts once. A code that
 * did not arrive becomes an {@value #NOT_DELIVERED_ERROR} event of the send's type, for the user
 * the send was for; every report counts in {@code keycloak_sms_delivery_reports_total}.
 */
final class DeliveryReports {

    static final String NOT_DELIVERED_ERROR = "sms_not_delivered";
    static final String DELIVERY_DETAIL = "sms_delivery";
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** How long a report is remembered, so that the provider's retries of it count once. */
    private static final Duration REMEMBERED = Duration.ofDays(1);
    private static final Logger LOG = Logger.getLogger(DeliveryReports.class);

    /** What the endpoint answers: the provider retries anything but 200. */
    enum Answer { TAKEN, REFUSED }

    private DeliveryReports() {
    }

    /**
     * The message with the address its provider posts reports to and the tag they bring back (the
     * send's event type, channel and user); unchanged when there is no public URL to give.
     */
    static SmsMessage address(SmsMessage message, URI publicBase, RealmModel realm, String gateway, Event send) {
        if (publicBase == null) {
            return message;
        }
        String url = KeycloakUriBuilder.fromUri(publicBase).path("realms/{realm}/{resource}/{gateway}")
                .build(realm.getName(), SmsProviderIds.DELIVERY_REPORTS, gateway).toString();
        return message.but().reports(url, Tag.of(send, message.channel()).toString()).build();
    }

    /** Takes a report posted for the realm's gateway of this name (or the gateway kind its settings configure). */
    static Answer receive(KeycloakSession session, RealmModel realm, String gateway, Map<String, String> headers, byte[] body) {
        GatewayInstances.Route route;
        try {
            route = GatewayInstances.route(session, realm, RealmSmsSettings.load(session, realm), gateway);
        } catch (SmsSendException | InvalidSettingsException e) {
            SmsMetrics.deliveryReport("unknown", "unknown", "refused");
            return Answer.REFUSED;
        }
        String kind = route.factory().getId();
        Optional<DeliveryReport> read = route.factory().readReport(headers, body,
                RealmGatewayConfig.of(session, route.factory(), route.values(), true));
        if (read.isEmpty()) {
            SmsMetrics.deliveryReport(kind, "unknown", "refused");
            return Answer.REFUSED;
        }
        DeliveryReport report = read.get();
        if (session.getProvider(SingleUseObjectProvider.class).putIfAbsent(memoryKey(realm, gateway, body), REMEMBERED.toSeconds())) {
            record(session, realm, gateway, kind, report);
        }
        return Answer.TAKEN;
    }

    private static void record(KeycloakSession session, RealmModel realm, String gateway, String kind, DeliveryReport report) {
        Tag tag = Tag.parse(report.tag());
        SmsMetrics.deliveryReport(kind, tag.channel(), report.outcome().name());
        String masked = masked(report.to());
        String status = report.status().replaceAll("[^A-Za-z0-9_]", "");
        LOG.debugf("Delivery report from gateway '%s' in realm %s: %s is %s (%s)", gateway, realm.getName(), masked,
                report.outcome(), status);
        if (report.outcome() != DeliveryReport.Outcome.NOT_DELIVERED) {
            return;
        }
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(tag.type())
                .detail(GatewayRouter.GATEWAY_DETAIL, gateway)
                .detail(GatewayRouter.CHANNEL_DETAIL, tag.channel())
                .detail(DELIVERY_DETAIL, status.substring(0, Math.min(32, status.length())))
                .detail(Details.REASON, "not_delivered");
        if (masked != null) {
            event.detail(GatewayRouter.NUMBER_DETAIL, masked);
        }
        if (tag.userId() != null) {
            event.user(tag.userId());
        }
        event.error(NOT_DELIVERED_ERROR);
    }

    private static String masked(String e164) {
        try {
            return e164.isEmpty() ? null : PhoneNumber.ofStoredE164(e164).masked();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String memoryKey(RealmModel realm, String gateway, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((realm.getId() + "/" + gateway + "/").getBytes(StandardCharsets.UTF_8));
            return "sms-report:" + HexFormat.of().formatHex(digest.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** What a report brings back of its send: {@code <event type> <channel> [<user id>]}. */
    record Tag(EventType type, String channel, String userId) {

        private static final Tag UNKNOWN = new Tag(EventType.LOGIN, "unknown", null);

        static Tag of(Event send, String channel) {
            return new Tag(send.getType() == null ? EventType.LOGIN : send.getType(), channel, send.getUserId());
        }

        /** The tag a report carries; {@code LOGIN unknown} for anything that is not one of ours. */
        static Tag parse(String text) {
            String[] parts = text.split(" ");
            if (parts.length < 2 || parts.length > 3 || GatewayRouter.Channel.of(parts[1]).isEmpty()
                    || parts.length == 3 && !parts[2].matches("[A-Za-z0-9-]{1,64}")) {
                return UNKNOWN;
            }
            try {
                EventType type = EventType.valueOf(parts[0]);
                return type.name().endsWith("_ERROR") ? UNKNOWN : new Tag(type, parts[1], parts.length == 3 ? parts[2] : null);
            } catch (IllegalArgumentException e) {
                return UNKNOWN;
            }
        }

        @Override
        public String toString() {
            return type.name() + " " + channel + (userId == null ? "" : " " + userId);
        }
    }
}
