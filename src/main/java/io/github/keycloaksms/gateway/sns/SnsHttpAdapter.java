package io.github.keycloaksms.gateway.sns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import io.github.keycloaksms.gateway.GatewayHttp;

/**
 * Lets the AWS SDK talk through our {@link GatewayHttp}: one request per call, our timeouts, the
 * outbound policy and the egress proxy, instead of an HTTP client of the SDK's own.
 */
final class SnsHttpAdapter implements SdkHttpClient {

    /** The client sets these itself, from the URL and the body. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "content-type", "expect", "connection");

    /** The outbound policy refused the request: a setting to fix, not an outage. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final GatewayHttp http;

    SnsHttpAdapter(GatewayHttp http) {
        this.http = http;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                return execute(request);
            }

            @Override
            public void abort() {
                // each request ends by itself within our client's deadline
            }
        };
    }

    private HttpExecuteResponse execute(HttpExecuteRequest request) throws IOException {
        SdkHttpRequest http = request.httpRequest();
        if (http.method() != SdkHttpMethod.POST) {
            throw new IOException("only POST requests are sent: " + http.method());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        http.forEachHeader((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, String.join(",", values));
            }
        });
        String contentType = http.firstMatchingHeader("Content-Type").orElse("application/x-www-form-urlencoded");
        String body = "";
        if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        GatewayHttp.Answer answer;
        try {
            answer = this.http.post(http.getUri(), headers, contentType, body);
        } catch (GatewayHttp.Refused e) {
            throw new Refused(e.getMessage());
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
                .response(SdkHttpResponse.builder().statusCode(answer.status())
                        .headers(Map.of("Content-Length", List.of(String.valueOf(bytes.length)))).build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    @Override
    public String clientName() {
        return "keycloak-sms";
    }

    @Override
    public void close() {
        // the shared client is closed with Keycloak
    }
}
