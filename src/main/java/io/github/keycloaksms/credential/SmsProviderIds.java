package io.github.keycloaksms.credential;

/**
 * The extension's public ids (realm exports, flows and scripts name them), kept beside the
 * credential type so that every package can name them without depending on the one that
 * implements them, as Keycloak keeps {@code CONFIGURE_TOTP} beside {@code OTPCredentialModel.TYPE}.
 */
public final class SmsProviderIds {

    /** Required action that enrolls a number; its configuration holds the realm's SMS settings. */
    public static final String REQUIRED_ACTION = "sms-register";
    /** Authenticator: the code as a second factor. */
    public static final String LOGIN_STEP = "sms-otp-form";
    /** Authenticator: the phone number as a flow's first step, sign-in and sign-up. */
    public static final String PHONE_LOGIN_STEP = "sms-phone-login";
    /** Config key of the phone sign-in step: numbers nobody holds may sign up. */
    public static final String ALLOW_SIGN_UP = "allowSignUp";
    /** Authenticator: a code before a new password, in the reset-credentials flow. */
    public static final String RESET_STEP = "sms-reset-code";
    /** OIDC protocol mapper for {@code phone_number} and {@code phone_number_verified}. */
    public static final String CLAIMS_MAPPER = "sms-phone-number";
    /** Admin REST resource: {@code /admin/realms/{realm}/sms}. */
    public static final String ADMIN_RESOURCE = "sms";
    /** Realm REST resource where providers post delivery reports: {@code /realms/{realm}/sms-delivery-reports/{gateway}}. */
    public static final String DELIVERY_REPORTS = "sms-delivery-reports";
    /** The credential provider that stores numbers as credentials of type {@link SmsCredentialModel#TYPE}. */
    public static final String CREDENTIAL_PROVIDER = "keycloak-sms";

    private SmsProviderIds() {
    }
}
