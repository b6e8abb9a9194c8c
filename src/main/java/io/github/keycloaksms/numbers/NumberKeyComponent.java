package io.github.keycloaksms.numbers;

import org.keycloak.provider.Provider;

/**
 * The kind of realm component that holds the realm's key for {@link NumberIndex}. It does
 * nothing itself: the component is where Keycloak keeps the key as a secret that the admin API
 * and partial exports mask, while full exports, restarts and every node of a cluster keep it.
 */
public interface NumberKeyComponent extends Provider {

    @Override
    default void close() {
    }
}
