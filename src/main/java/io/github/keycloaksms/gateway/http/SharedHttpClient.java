package io.github.keycloaksms.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.keycloak.models.KeycloakSession;
import org.keycloak.truststore.TruststoreProvider;

/**
 * The extension's one {@link SmsHttpClient}, created on first use so that it trusts what
 * Keycloak's truststore trusts, and closed when Keycloak closes the gateway factories.
 */
public final class SharedHttpClient {

    private static SmsHttpClient client;

    private SharedHttpClient() {
    }

    public static synchronized SmsHttpClient get(KeycloakSession session) {
        if (client == null) {
            WireLogGuard.apply();
            client = new SmsHttpClient(sslContext(session), EgressProxies.fromKeycloak());
        }
        return client;
    }

    public static synchronized void close() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                client = null;
            }
        }
    }

    private static SSLContext sslContext(KeycloakSession session) {
        TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
        KeyStore keyStore = truststore == null ? null : truststore.getTruststore();
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore);   // null: the JVM's default trust
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for SMS gateways", e);
        }
    }
}
