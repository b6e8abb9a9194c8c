package io.github.keycloaksms.credential;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

public class SmsCredentialProviderFactory implements CredentialProviderFactory<SmsCredentialProvider> {


    @Override
    public SmsCredentialProvider create(KeycloakSession session) {
        return new SmsCredentialProvider(session);
    }

    @Override
    public String getId() {
        return SmsProviderIds.CREDENTIAL_PROVIDER;
    }
}
