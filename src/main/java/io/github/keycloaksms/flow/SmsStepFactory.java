package io.github.keycloaksms.flow;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.credential.SmsCredentialModel;

/**
 * What the extension's authenticator factories share: Keycloak's requirement choices, the
 * {@code sms} reference category, no execution config unless a step declares some, and, with
 * {@code sendThreads}, a pool of its own that sends after the response.
 */
public abstract class SmsStepFactory implements AuthenticatorFactory {

    private final int sendThreads;
    private final int sendQueue;
    private BackgroundSends sends;

    /** A step that sends on the request, without a pool. */
    protected SmsStepFactory() {
        this(0, 0);
    }

    /**
     * A step whose sends run after the response, on a pool the operator sizes with
     * {@code --spi-authenticator--<id>--send-threads} and {@code --send-queue}.
     */
    protected SmsStepFactory(int sendThreads, int sendQueue) {
        this.sendThreads = sendThreads;
        this.sendQueue = sendQueue;
    }

    /** The step's pool; null for a step without one. */
    protected BackgroundSends sends() {
        return sends;
    }

    /**
     * Our own category: the Account Console lists the SMS numbers under "Signing in" and offers an
     * authenticator app only where the realm's flows use one. Brute-force detection still counts
     * wrong codes ({@link BruteForceCount}).
     */
    @Override
    public String getReferenceCategory() {
        return SmsCredentialModel.TYPE;
    }

    @Override
    public boolean isConfigurable() {
        return !getConfigProperties().isEmpty();
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENT_CHOICES;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public void init(Config.Scope config) {
        if (sendThreads > 0) {
            sends = BackgroundSends.configured(config, sendThreads, sendQueue);
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
        if (sends != null) {
            sends.shutdown();
        }
    }
}
