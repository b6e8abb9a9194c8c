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
 * first number that receives codes, a number its owner proved with a code before one an admin
 * vouched for (an admin's addition, an import). {@code phone_number_verified} is true for a proved
 * number, and for a vouched one only when the mapper's option says so. Pending numbers and
 * verify-only ones give no claim.
 */
public class PhoneNumberClaimMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    static final String VOUCHED_IS_VERIFIED = "vouchedIsVerified";
    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        ProviderConfigProperty vouched = new ProviderConfigProperty(VOUCHED_IS_VERIFIED, "Admin-added numbers are verified",
                "Off: phone_number_verified is true only for a number its owner proved with a code. On: also for a number "
                        + "an admin added as verified or an import brought.", ProviderConfigProperty.BOOLEAN_TYPE, "false");
        CONFIG.add(vouched);
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
        List<SmsCredentialModel> numbers = SmsCredentialProvider.of(session).storedCredentials(userSession.getUser())
                .filter(SmsCredentialModel::receivesLoginCodes).toList();
        boolean vouchedIsVerified = Boolean.parseBoolean(mappingModel.getConfig().get(VOUCHED_IS_VERIFIED));
        numbers.stream().filter(SmsCredentialModel::isProved).findFirst().or(() -> numbers.stream().findFirst())
                .ifPresent(number -> number.phone().ifPresent(phone -> {
                    token.setPhoneNumber(phone.e164());
                    token.setPhoneNumberVerified(number.isProved() || vouchedIsVerified);
                }));
    }
}
