package io.github.keycloaksms.claims;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;

/**
 * The OIDC claims {@code phone_number} (E.164) and {@code phone_number_verified} from the user's
 * first proved number (in the order the Account Console lists them): proved with a code, or
 * vouched for by an admin. Pending numbers and verify-only ones give no claim.
 */
public class PhoneNumberClaimMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, PhoneNumberClaimMapper.class);
    }

    @Override
    public String getId() {
        return SmsProviderIds.CLAIMS_MAPPER;
    }

    @Override
    public String getDisplayType() {
        return "SMS phone number";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds phone_number (E.164) and phone_number_verified from the user's first enrolled SMS number; "
                + "nothing for users without one. Use it instead of the 'phone' scope's attribute mappers.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession, KeycloakSession session,
                            ClientSessionContext clientSessionCtx) {
        SmsCredentialProvider credentials =
                SmsCredentialProvider.of(session);
        credentials.storedCredentials(userSession.getUser())
                .filter(SmsCredentialModel::receivesLoginCodes)
                .findFirst()
                .flatMap(SmsCredentialModel::phone)
                .ifPresent(phone -> {
                    token.setPhoneNumber(phone.e164());
                    token.setPhoneNumberVerified(true);
                });
    }
}
