package io.github.keycloaksms.gateway.sns;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * A local stand-in for AWS SNS's query API: refuses requests without a well-formed SigV4
 * signature for service sns, records each Publish (form parameters and signature parts), and
 * answers with SNS's XML documents: a PublishResponse, or the ErrorResponse the test asks for.
 */
public final class FakeSns implements AutoCloseable {

    private static final Pattern SIGV4 = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)/(\\d{8})/([a-z0-9-]+)/sns/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}");

    /** One Publish as SNS received it. */
    public record Publish(Map<String, String> form, String accessKeyId, String region, String signedHeaders, String amzDate) {
        /** The value of the message attribute of that name, e.g. AWS.SNS.SMS.SMSType. */
        public String attribute(String name) {
            for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                if (form.get("MessageAttributes.entry." + i + ".Name").equals(name)) {
                    return form.get("MessageAttributes.entry." + i + ".Value.StringValue");
                }
            }
            return null;
        }
    }

    private final LocalHttpServer server;
    private volatile int errorStatus;
    private volatile String errorCode;
    private volatile String errorMessage;

    public FakeSns() {
        server = new LocalHttpServer(this::answer);
    }

    private LocalHttpServer.Reply answer(LocalHttpServer.Request request) {
        Map<String, String> headers = Map.of("x-amzn-RequestId", UUID.randomUUID().toString());
        Publish publish = signed(request);
        if (publish == null) {
            return reply(403, headers, error("IncompleteSignature", "The request signature does not conform to AWS standards."));
        }
        Map<String, String> form = publish.form();
        if (!"Publish".equals(form.get("Action"))) {
            return reply(400, headers, error("InvalidAction", "Could not find operation " + form.get("Action")));
        } else if (errorCode != null) {
            return reply(errorStatus, headers, error(errorCode, errorMessage));
        }
        return reply(200, headers, "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
                + UUID.randomUUID() + "</MessageId></PublishResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></PublishResponse>");
    }

    private static LocalHttpServer.Reply reply(int status, Map<String, String> headers, String body) {
        return new LocalHttpServer.Reply(status, "text/xml", headers, body, Duration.ZERO, Duration.ZERO);
    }

    public String url() {
        return server.url();
    }

    /** From now on, answers every Publish with this SNS error. */
    public void fail(int status, String code, String message) {
        this.errorStatus = status;
        this.errorMessage = message;
        this.errorCode = code;
    }

    /** The well-signed requests, as SNS took them. */
    public List<Publish> received() {
        return server.received().stream().map(FakeSns::signed).filter(Objects::nonNull).toList();
    }

    /** The request as a Publish, or null when its SigV4 signature is missing or not well-formed. */
    private static Publish signed(LocalHttpServer.Request request) {
        Matcher signature = SIGV4.matcher(String.valueOf(request.header("Authorization")));
        String amzDate = request.header("X-Amz-Date");
        if (!signature.matches() || amzDate == null || !signature.group(4).contains("x-amz-date") || !signature.group(4).contains("host")) {
            return null;
        }
        return new Publish(request.form(), signature.group(1), signature.group(3), signature.group(4), amzDate);
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    @Override
    public void close() {
        server.close();
    }
}
