package io.github.keycloaksms.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;


/**
 * A gateway's factory. Its {@link #getConfigProperties()} appear in the realm's SMS settings
 * (Authentication &gt; Required actions &gt; Enroll SMS number); prefix their names with the
 * gateway id so they do not clash with other gateways' keys. The operator limits where a gateway's HTTP
 * requests may go with {@code --spi-sms-gateway--<id>--allowed-hosts}, and how many of its sends
 * may be in flight on a node with {@code --spi-sms-gateway--<id>--max-in-flight}.
 */
@PublicApi(unstable = true)
public interface SmsGatewayFactory extends ProviderFactory<SmsGateway>, ConfiguredProvider {

    /** How the admin console names this gateway beside its id, e.g. "Twilio"; the id itself by default. */
    default String displayName() {
        return getId();
    }

    /**
     * Checks this gateway's own keys when an admin saves the settings. A value that is set must be
     * right whichever gateway is selected: it is refused now, not when someone selects this gateway
     * later. When {@link GatewayConfig#selected()}, what the gateway needs must be there as well.
     */
    default void validate(GatewayConfig config) throws InvalidSettingsException {
    }

    /**
     * Why this gateway cannot carry codes by {@code channel} ({@code whatsapp}, {@code telegram})
     * with these settings, in words for the admin; empty when it can. Checked when an admin names it
     * in the realm's channels. By default a gateway carries the channel of its own id only.
     */
    default Optional<String> cannotCarry(String channel, GatewayConfig config) {
        return channel.equals(getId()) ? Optional.empty() : Optional.of("does not send by " + channel);
    }

    /**
     * True when this gateway, with these settings, asks its provider for delivery reports: only
     * then do its messages carry a {@link SmsMessage#reportUrl()}. False by default.
     */
    default boolean asksForReports(GatewayConfig config) {
        return false;
    }

    /**
     * Reads a delivery report that the provider posted to a message's {@link SmsMessage#reportUrl()}:
     * empty unless the provider provably sent it (its signature with this gateway's secret, a
     * fresh timestamp). Anyone can post there, so nothing in an unproven report may count. By
     * default a gateway takes no reports.
     *
     * @param headers the request's headers, names in lower case
     * @param body    the request's body as it came, at most 16 KiB
     */
    default Optional<DeliveryReport> readReport(Map<String, String> headers, byte[] body, GatewayConfig config) {
        return Optional.empty();
    }

    /**
     * The only hosts this gateway reaches by default, when it talks to one service (Twilio's API);
     * empty: any public https host. The operator's {@code allowed-hosts} replaces them.
     */
    default Set<String> serviceHosts() {
        return Set.of();
    }

    @Override
    default List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    default void init(Config.Scope config) {
    }

    @Override
    default void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    default void close() {
    }
}
