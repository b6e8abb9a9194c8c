package io.github.keycloaksms.gateway.sns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

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

    private final HttpServer server;
    private final List<Publish> received = new ArrayList<>();
    private volatile int errorStatus;
    private volatile String errorCode;
    private volatile String errorMessage;

    public FakeSns() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher signature = SIGV4.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
            String answer;
            int status;
            if (!signature.matches() || amzDate == null || !signature.group(4).contains("x-amz-date") || !signature.group(4).contains("host")) {
                status = 403;
                answer = error("IncompleteSignature", "The request signature does not conform to AWS standards.");
            } else {
                Map<String, String> form = form(body);
                synchronized (received) {
                    received.add(new Publish(form, signature.group(1), signature.group(3), signature.group(4), amzDate));
                }
                if (!"Publish".equals(form.get("Action"))) {
                    status = 400;
                    answer = error("InvalidAction", "Could not find operation " + form.get("Action"));
                } else if (errorCode != null) {
                    status = errorStatus;
                    answer = error(errorCode, errorMessage);
                } else {
                    status = 200;
                    answer = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
                            + UUID.randomUUID() + "</MessageId></PublishResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                            + "</RequestId></ResponseMetadata></PublishResponse>";
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** From now on, answers every Publish with this SNS error. */
    public void fail(int status, String code, String message) {
        this.errorStatus = status;
        this.errorMessage = message;
        this.errorCode = code;
    }

    public List<Publish> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
