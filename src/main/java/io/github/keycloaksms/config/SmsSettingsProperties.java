package io.github.keycloaksms.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.code.OneTimeCodes;

/** How the realm's SMS settings appear in the admin console, with help texts and defaults. */
public final class SmsSettingsProperties {

    private SmsSettingsProperties() {
    }

    /**
     * @param gatewayIds the installed gateways, offered as choices
     * @param gatewayProperties the installed gateways' own properties
     */
    public static List<ProviderConfigProperty> all(List<String> gatewayIds, List<ProviderConfigProperty> gatewayProperties) {
        List<String> fallbackChoices = new ArrayList<>();
        fallbackChoices.add(SmsSettings.NO_FALLBACK);
        fallbackChoices.addAll(gatewayIds);
        List<String> codeLengths = Stream.iterate(OneTimeCodes.MIN_LENGTH, n -> n <= OneTimeCodes.MAX_LENGTH, n -> n + 1)
                .map(String::valueOf).toList();

        List<ProviderConfigProperty> properties = new ArrayList<>(ProviderConfigurationBuilder.create()
                .property().name(SmsSettings.GATEWAY).label("SMS gateway")
                .helpText("Where codes are sent through. 'log' writes them to the server log: for development only.")
                .type(ProviderConfigProperty.LIST_TYPE).options(gatewayIds).add()
                .property().name(SmsSettings.FALLBACK_GATEWAY).label("Fallback gateway")
                .helpText("Tried once when the SMS gateway fails for a passing reason (timeout, 5xx, 429).")
                .type(ProviderConfigProperty.LIST_TYPE).options(fallbackChoices).defaultValue(SmsSettings.NO_FALLBACK).add()
                .property().name(SmsSettings.FROM).label("Sender")
                .helpText("Sender number in E.164 form, an alphanumeric sender id, or a Twilio Messaging Service SID (MG...).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SmsSettings.DEFAULT_REGION).label("Default region")
                .helpText("ISO 3166 region (e.g. DE) for numbers typed without a leading +. Empty: users must type the country code.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(SmsSettings.ALLOWED_REGIONS).label("Allowed regions")
                .helpText("ISO 3166 regions whose numbers may be enrolled and receive codes (e.g. DE, AT, CH); checked at every send. "
                        + "Empty: all regions except international networks (+800, +870, +881...), which only 001 allows.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
                .property().name(SmsSettings.CODE_LENGTH).label("Code length")
                .helpText("Digits per code.")
                .type(ProviderConfigProperty.LIST_TYPE).options(codeLengths)
                .defaultValue(String.valueOf(SmsSettings.DEFAULT_CODE_LENGTH)).add()
                .property().name(SmsSettings.CODE_TTL).label("Code lifetime (seconds)")
                .helpText("How long a code can be used, " + SmsSettings.MIN_CODE_TTL + " to " + SmsSettings.MAX_CODE_TTL + " seconds.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_CODE_TTL).add()
                .property().name(SmsSettings.MAX_ATTEMPTS).label("Attempts per code")
                .helpText("Wrong entries allowed per code (1 to " + SmsSettings.MAX_MAX_ATTEMPTS + "); then the code is dead and the user must request a new one.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_ATTEMPTS).add()
                .property().name(SmsSettings.RESEND_COOLDOWN).label("Resend cooldown (seconds)")
                .helpText("Seconds between two codes sent to one number in one login or enrollment (0 to " + SmsSettings.MAX_RESEND_COOLDOWN + ").")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_RESEND_COOLDOWN).add()
                .property().name(SmsSettings.MAX_SENDS_PER_LOGIN).label("Codes per login")
                .helpText("Codes one login or enrollment may request, resends included (1 to " + SmsSettings.MAX_SEND_LIMIT + ").")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_SENDS_PER_LOGIN).add()
                .property().name(SmsSettings.MAX_SENDS_PER_USER_PER_DAY).label("Codes per user per day")
                .helpText("Codes one user may receive in 24 hours, on all numbers (1 to " + SmsSettings.MAX_SEND_LIMIT + ").")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_SENDS_PER_USER_PER_DAY).add()
                .property().name(SmsSettings.MAX_SENDS_PER_NUMBER_PER_DAY).label("Codes per number per day")
                .helpText("Codes one number may receive in 24 hours, from all accounts (1 to " + SmsSettings.MAX_SEND_LIMIT + ").")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_SENDS_PER_NUMBER_PER_DAY).add()
                .property().name(SmsSettings.MAX_SENDS_PER_IP_PER_HOUR).label("Codes per client IP per hour")
                .helpText("Codes requested from one client IP address in an hour (1 to " + SmsSettings.MAX_SEND_LIMIT + ").")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_SENDS_PER_IP_PER_HOUR).add()
                .property().name(SmsSettings.MAX_SENDS_PER_COUNTRY_PER_HOUR).label("Codes per country per hour")
                .helpText("Budget against SMS pumping: codes sent to the numbers of one country calling code in an hour, "
                        + "from all users (1 to " + SmsSettings.MAX_SEND_BUDGET + "). About three times your busiest hour to your largest country.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_SENDS_PER_COUNTRY_PER_HOUR).add()
                .property().name(SmsSettings.MAX_SENDS_PER_REALM_PER_HOUR).label("Codes per realm per hour")
                .helpText("Budget against SMS pumping: all codes this realm sends in an hour (1 to "
                        + SmsSettings.MAX_SEND_BUDGET + "). About three times your busiest hour.")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(SmsSettings.DEFAULT_MAX_SENDS_PER_REALM_PER_HOUR).add()
                .property().name(SmsSettings.VERIFY_ONLY).label("Verify only")
                .helpText("Use the number only to prove the user has it at enrollment; keep only a keyed hash, so it cannot be used to log in but cannot be reused either.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false).add()
                .property().name(SmsSettings.UNIQUE_NUMBERS).label("Unique numbers")
                .helpText("A number enrolled by one user cannot be enrolled by another user of this realm.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true).add()
                .property().name(SmsSettings.VOICE_ENABLED).label("Call me instead")
                .helpText("Offer a voice call that reads the code, after the first SMS, under the same limits; landline numbers "
                        + "may then be enrolled and get calls only. Needs a gateway that can call (twilio) and a phone number as sender.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false).add()
                .property().name(SmsSettings.PHONE_ATTRIBUTE).label("Number from profile attribute")
                .helpText("A user-profile attribute (e.g. phoneNumber, from LDAP or an identity provider). A user without an "
                        + "SMS number who has it is asked at login to confirm that number with a code; it is never used unproved. "
                        + "Empty: off.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build());
        properties.addAll(gatewayProperties);
        return properties;
    }
}
