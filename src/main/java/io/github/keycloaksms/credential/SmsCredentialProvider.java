package io.github.keycloaksms.credential;

import java.util.List;
import java.util.stream.Stream;

import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;


/** Stores enrolled numbers as credentials of type {@code sms}; a user may have several. */
public class SmsCredentialProvider implements CredentialProvider<SmsCredentialModel> {

    private final KeycloakSession session;

    public SmsCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    /** The session's instance. */
    public static SmsCredentialProvider of(KeycloakSession session) {
        return (SmsCredentialProvider) session.getProvider(CredentialProvider.class, SmsProviderIds.CREDENTIAL_PROVIDER);
    }

    @Override
    public String getType() {
        return SmsCredentialModel.TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, SmsCredentialModel credential) {
        return user.credentialManager().createStoredCredential(credential);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public SmsCredentialModel getCredentialFromModel(CredentialModel model) {
        return SmsCredentialModel.createFromCredentialModel(model);
    }

    /**
     * The user's credentials that login codes can be sent to (proved, not verify-only), in
     * Keycloak's order of the user's credentials: the order the Account Console and the admin
     * console list them in, oldest first unless an admin moved one. The first is "the first number".
     */
    public List<SmsCredentialModel> usableCredentials(UserModel user) {
        return storedCredentials(user).filter(SmsCredentialModel::receivesLoginCodes).toList();
    }

    public Stream<SmsCredentialModel> storedCredentials(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(getType()).map(this::getCredentialFromModel);
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName("smsDisplayName")
                .helpText("smsHelpText")
                .iconCssClass("kcAuthenticatorOTPClass")
                .createAction(SmsProviderIds.REQUIRED_ACTION)
                .removeable(true)
                .build(session);
    }
}
