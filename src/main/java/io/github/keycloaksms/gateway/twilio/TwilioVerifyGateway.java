package io.github.keycloaksms.gateway.twilio;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.twilio.exception.ApiException;
import com.twilio.rest.verify.v2.service.Verification;
import com.twilio.rest.verify.v2.service.VerificationCheck;

import io.github.keycloaksms.gateway.CallingGateway;
import io.github.keycloaksms.gateway.CheckingGateway;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;
import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Twilio Verify: Twilio makes the code, sends it by SMS, call or WhatsApp, and checks it. Only the
 * status {@code approved} accepts an entry; Fraud Guard's and the geo permissions' refusals are
 * their own failures.
 */
final class TwilioVerifyGateway implements CheckingGateway, CallingGateway {

    static final String ACCOUNT_SID = "twilioVerifyAccountSid";
    static final String AUTH_TOKEN = "twilioVerifyAuthToken";
    static final String SERVICE_SID = "twilioVerifyServiceSid";
    static final String API_URL = "twilioVerifyApiUrl";
    static final String DEFAULT_API_HOST = "verify.twilio.com";
    static final String DEFAULT_API_URL = "https://" + DEFAULT_API_HOST;

    private static final TwilioApi.Account ACCOUNT = new TwilioApi.Account(ACCOUNT_SID, AUTH_TOKEN, API_URL, DEFAULT_API_URL);
    private static final String APPROVED = "approved";
    private static final int INVALID_PARAMETER = 60200;
    private static final int TOO_MANY_CHECKS = 60202;
    private static final int TOO_MANY_SENDS = 60203;
    private static final int FRAUD_GUARD = 60410;
    private static final int GEO_PERMISSIONS = 60605;
    private static final int NOT_FOUND = 20404;
    /** Languages Verify writes its messages in; a region only where Verify has a variant of its own. */
    private static final Set<String> LOCALES = Set.of("af", "ar", "ca", "cs", "da", "de", "el", "en", "en-GB", "es", "et", "fi",
            "fr", "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "ms", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "th",
            "tl", "tr", "vi", "zh", "zh-CN", "zh-HK");

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        // Verify's channel names are ours: sms, whatsapp
        start(message, Objects.requireNonNullElse(message.channel(), SmsMessage.SMS), config);
    }

    @Override
    public void call(SmsMessage message, GatewayConfig config) throws SmsSendException {
        start(message, "call", config);
    }

    private static void start(SmsMessage message, String channel, GatewayConfig config) throws SmsSendException {
        String service = service(config);
        Verification verification = TwilioApi.call(message, config, ACCOUNT, TwilioVerifyGateway::classify, client -> {
            var creator = Verification.creator(service, message.to().e164(), channel);
            locale(message.locale()).ifPresent(creator::setLocale);
            return creator.create(client);
        });
        if (verification == null || verification.getSid() == null) {
            throw new SmsSendException(SmsSendException.Kind.FAILED, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "Twilio Verify answered without a verification: whether a code left is unknown");
        }
    }

    @Override
    public boolean approves(PhoneNumber to, String code, GatewayConfig config) throws SmsSendException {
        String service = service(config);
        SmsMessage entry = SmsMessage.to(to).code(code).build();
        try {
            VerificationCheck check = TwilioApi.call(entry, config, ACCOUNT, TwilioVerifyGateway::classifyCheck,
                    client -> VerificationCheck.creator(service).setTo(to.e164()).setCode(code).create(client));
            return check != null && APPROVED.equals(check.getStatus());
        } catch (NotApproved e) {
            return false;
        }
    }

    private static String service(GatewayConfig config) throws SmsSendException {
        String service = config.get(SERVICE_SID);
        if (service == null) {
            throw SmsSendException.notConfigured("twilio-verify needs " + SERVICE_SID);
        }
        return service;
    }

    static Optional<String> locale(Locale locale) {
        if (locale == null) {
            return Optional.empty();
        }
        String regional = locale.getLanguage() + "-" + locale.getCountry();
        return LOCALES.contains(regional) ? Optional.of(regional)
                : LOCALES.contains(locale.getLanguage()) ? Optional.of(locale.getLanguage()) : Optional.empty();
    }

    static SmsSendException classify(ApiException e, Integer httpStatus, SmsMessage message) {
        int status = TwilioApi.status(e, httpStatus);
        int code = e.getCode() == null ? 0 : e.getCode();
        String adminMessage = TwilioApi.adminMessage(e, status, message);
        if (code == FRAUD_GUARD) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsDeliveryBlocked", adminMessage
                    + " (Twilio's Fraud Guard blocked the number's prefix)").because("fraud_guard");
        } else if (code == GEO_PERMISSIONS) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsRegionBlocked", adminMessage
                    + " (the Verify service's geo permissions exclude the number's country)").because("geo_permission");
        } else if (code == TOO_MANY_SENDS) {
            // Verify's own limit for this number: not worked around through another gateway
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsRateLimited", adminMessage);
        } else if (status == 429) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, "smsRateLimited", adminMessage);
        } else if (status >= 500 || status == 0) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
        } else if (code == INVALID_PARAMETER) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsNumberCannotReceive", adminMessage);
        } else if (status == 401 || status == 403 || code == NOT_FOUND || code == 20003) {
            return new SmsSendException(SmsSendException.Kind.CONFIGURATION, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    adminMessage + " (check " + ACCOUNT_SID + ", " + AUTH_TOKEN + " and " + SERVICE_SID + ")");
        }
        return new SmsSendException(SmsSendException.Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
    }

    /**
     * At a check, Twilio's refusals of the entry are a plain "no": no pending verification (404),
     * too many checks (60202, though it comes as 429), an invalid code. Only an answer that could not be had, or credentials
     * Twilio refuses, is a failure.
     */
    private static SmsSendException classifyCheck(ApiException e, Integer httpStatus, SmsMessage entry) {
        int status = TwilioApi.status(e, httpStatus);
        boolean deadVerification = e.getCode() != null && e.getCode() == TOO_MANY_CHECKS;
        if (!deadVerification && (status == 429 || status >= 500 || status == 0 || status == 401 || status == 403)) {
            return classify(e, httpStatus, entry);
        }
        return new NotApproved();
    }

    /** Twilio said no to an entry: not a failure of the check. */
    private static final class NotApproved extends SmsSendException {
        NotApproved() {
            super(Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, "not approved");
        }
    }
}
