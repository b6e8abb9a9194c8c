package io.github.keycloaksms.gateway.sns;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import io.github.keycloaksms.gateway.http.Redaction;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsMessage;
import io.github.keycloaksms.gateway.SmsSendException;

/** Publishes the SMS to the number through AWS SNS, as a transactional message, and turns AWS errors into messages users understand. */
final class SnsSmsGateway implements SmsGateway {

    static final String REGION = "snsRegion";
    static final String ACCESS_KEY_ID = "snsAccessKeyId";
    static final String SECRET_ACCESS_KEY = "snsSecretAccessKey";

    private static final Set<String> CREDENTIAL_ERRORS = Set.of("AuthorizationError", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "AccessDenied", "AccessDeniedException", "ExpiredToken", "UnrecognizedClientException", "InvalidAccessKeyId",
            "IncompleteSignature", "MissingAuthenticationToken");
    private static final Set<String> THROTTLED = Set.of("Throttling", "ThrottlingException", "Throttled", "ThrottledException");

    private final SnsClients clients;

    SnsSmsGateway(SnsClients clients) {
        this.clients = clients;
    }

    @Override
    public void send(SmsMessage message, GatewayConfig config) throws SmsSendException {
        SnsClients.Settings settings;
        try {
            settings = clients.settings(config);
        } catch (IllegalArgumentException e) {
            throw SmsSendException.notConfigured(e.getMessage());
        }
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("AWS.SNS.SMS.SMSType", text("Transactional"));
        String from = config.from();
        if (from != null) {
            attributes.put(from.startsWith("+") ? "AWS.MM.SMS.OriginationNumber" : "AWS.SNS.SMS.SenderID", text(from));
        }
        try {
            clients.get(settings, config.http()).publish(PublishRequest.builder()
                    .phoneNumber(message.to().e164()).message(message.text()).messageAttributes(attributes).build());
        } catch (AwsServiceException e) {
            throw classify(e.statusCode(), e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode(),
                    e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage(), message);
        } catch (SdkClientException e) {
            SnsHttpAdapter.Refused refused = refusal(e);
            if (refused != null) {
                throw SmsSendException.notConfigured("the SNS endpoint " + refused.getMessage());
            }
            throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    "AWS SNS not reached: " + Redaction.excerpt(message, String.valueOf(e.getMessage())));
        }
    }

    static SmsSendException classify(int status, String code, String detail, SmsMessage message) {
        String adminMessage = "AWS SNS answered " + status + (code == null ? "" : " " + code) + ": " + Redaction.excerpt(message, String.valueOf(detail));
        if (status == 429 || THROTTLED.contains(code)) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, "smsRateLimited", adminMessage);
        }
        if (status >= 500) {
            return new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
        }
        if (CREDENTIAL_ERRORS.contains(code) || status == 401 || status == 403) {
            return new SmsSendException(SmsSendException.Kind.CONFIGURATION, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                    adminMessage + " (check snsRegion, the AWS credentials and their sns:Publish permission)");
        }
        if (("InvalidParameter".equals(code) || "InvalidParameterValue".equals(code)) && detail != null && detail.contains("PhoneNumber")) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsNumberCannotReceive", adminMessage);
        }
        if ("OptedOut".equals(code)) {
            return new SmsSendException(SmsSendException.Kind.REJECTED, "smsOptedOut", adminMessage);
        }
        return new SmsSendException(SmsSendException.Kind.REJECTED, SmsSendException.USER_MESSAGE_UNAVAILABLE, adminMessage);
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static SnsHttpAdapter.Refused refusal(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SnsHttpAdapter.Refused refused) {
                return refused;
            }
        }
        return null;
    }
}
