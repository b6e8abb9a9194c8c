package io.github.keycloaksms.delivery;

import org.keycloak.provider.Provider;

/**
 * The kind of realm component that is one of the realm's named gateways (see
 * {@link GatewayInstances}). It does nothing itself: the component is where Keycloak keeps the
 * gateway's fields, masks its secrets in the admin API and partial exports, and carries it through
 * full exports and to every node.
 */
public interface GatewayInstance extends Provider {

    @Override
    default void close() {
    }
}
