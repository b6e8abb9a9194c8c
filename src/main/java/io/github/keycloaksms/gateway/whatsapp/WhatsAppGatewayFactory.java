package io.github.keycloaksms.gateway.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.http.RequiredSettings;
import io.github.keycloaksms.gateway.http.ServiceUrl;

/**
 * The {@code whatsapp} gateway: codes as an authentication template through the WhatsApp Business
 * Cloud API. Its API URL may point only at Meta's Graph API host unless the operator names others
 * with {@code --spi-sms-gateway--whatsapp--allowed-hosts}.
 */
public class WhatsAppGatewayFactory implements SmsGatewayFactory {

    public static final String ID = "whatsapp";

    private static final SmsGateway GATEWAY = new WhatsAppGateway();

    @Override
    public SmsGateway create(KeycloakSession session) {
        return GATEWAY;
    }

    @Override
    public Set<String> serviceHosts() {
        return Set.of(WhatsAppGateway.DEFAULT_API_HOST);
    }

    @Override
    public void validate(GatewayConfig config) throws InvalidSettingsException {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        RequiredSettings.check(config, ID, List.of(WhatsAppGateway.PHONE_NUMBER_ID, WhatsAppGateway.ACCESS_TOKEN, WhatsAppGateway.TEMPLATE),
                problems);
        String phoneNumberId = config.get(WhatsAppGateway.PHONE_NUMBER_ID);
        if (phoneNumberId != null && !phoneNumberId.matches("\\d{1,32}")) {
            problems.add(InvalidSettingsException.Problem.of(WhatsAppGateway.PHONE_NUMBER_ID,
                    "must be the phone number's id from Meta's WhatsApp Manager (digits), not the number itself"));
        }
        String template = config.get(WhatsAppGateway.TEMPLATE);
        if (template != null && !template.matches("[a-z0-9_]{1,512}")) {
            problems.add(InvalidSettingsException.Problem.of(WhatsAppGateway.TEMPLATE,
                    "must be a template name: lower-case letters, digits and _"));
        }
        String languages = config.get(WhatsAppGateway.LANGUAGES);
        if (languages != null && !languages.matches("\\s*[a-z]{2,3}(_[A-Za-z]{2,4})?\\s*(,\\s*[a-z]{2,3}(_[A-Za-z]{2,4})?\\s*)*")) {
            problems.add(InvalidSettingsException.Problem.of(WhatsAppGateway.LANGUAGES,
                    "must be WhatsApp language codes separated by commas, such as en_US, de, pt_BR"));
        }
        ServiceUrl.check(config, WhatsAppGateway.API_URL, WhatsAppGateway.DEFAULT_API_URL, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String displayName() {
        return "WhatsApp Cloud API";
    }

    @Override
    public String getHelpText() {
        return "Sends the code as a WhatsApp authentication template through Meta's WhatsApp Business Cloud API.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(WhatsAppGateway.PHONE_NUMBER_ID).label("WhatsApp phone number ID")
                .helpText("WhatsApp gateway: the id of the business phone number that sends, from WhatsApp Manager (digits).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WhatsAppGateway.ACCESS_TOKEN).label("WhatsApp access token")
                .helpText("WhatsApp gateway: a system user's access token with whatsapp_business_messaging. Use ${vault.NAME} "
                        + "to keep it in Keycloak's vault.")
                .type(ProviderConfigProperty.PASSWORD).secret(true).add()
                .property().name(WhatsAppGateway.TEMPLATE).label("WhatsApp template")
                .helpText("WhatsApp gateway: the name of an approved template of category authentication, with a copy-code button.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(WhatsAppGateway.LANGUAGES).label("WhatsApp template languages")
                .helpText("WhatsApp gateway: the languages the template is approved in, e.g. en_US, de, fr. Each user gets the one "
                        + "closest to their own; the first when none is close.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(WhatsAppGateway.DEFAULT_LANGUAGES).add()
                .property().name(WhatsAppGateway.API_URL).label("WhatsApp API URL")
                .helpText("WhatsApp gateway: base URL of the Graph API, with its version. Only " + WhatsAppGateway.DEFAULT_API_HOST
                        + " unless the server's operator allows other hosts (proxies, tests).")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(WhatsAppGateway.DEFAULT_API_URL).add()
                .build();
    }
}
