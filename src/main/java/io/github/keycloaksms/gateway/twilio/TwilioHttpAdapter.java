package io.github.keycloaksms.gateway.twilio;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.hc.core5.http.Header;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;

import io.github.keycloaksms.gateway.GatewayHttp;

/**
 * Lets twilio-java talk through our {@link GatewayHttp}: its own client retries a POST up to
 * three times on 5xx (three SMS for one click); this one makes exactly one request, to
 * {@code twilioApiUrl} instead of api.twilio.com when set. One instance per send.
 */
final class TwilioHttpAdapter extends HttpClient {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final GatewayHttp http;
    private final URI apiBase;
    private Integer lastStatus;
    private GatewayHttp.Refused refusal;

    TwilioHttpAdapter(GatewayHttp http, URI apiBase) {
        this.http = http;
        this.apiBase = apiBase;
    }

    /** Why the policy refused the request, or null when it did not. */
    GatewayHttp.Refused refusal() {
        return refusal;
    }

    /** The HTTP status of the last answer, or null when no answer came. */
    Integer lastStatus() {
        return lastStatus;
    }

    @Override
    public Response makeRequest(Request request) {
        if (request.getMethod() != HttpMethod.POST) {
            throw new ApiConnectionException("only POST requests are sent: " + request.getMethod());
        }
        URL twilioUrl = request.constructURL();
        URI target = apiBase.resolve(twilioUrl.getPath() + (twilioUrl.getQuery() == null ? "" : "?" + twilioUrl.getQuery()));
        try {
            GatewayHttp.Answer answer = http.post(target,
                    Map.of("Authorization", request.getAuthString(), "Accept", "application/json"),
                    FORM, form(request.getPostParams()));
            lastStatus = answer.status();
            // twilio-java reads the headers when it logs at DEBUG; we pass none on, so give it none
            return new Response(answer.body(), answer.status(), new Header[0]);
        } catch (GatewayHttp.Refused e) {
            refusal = e;
            throw new ApiConnectionException("Twilio API at " + apiBase.getHost() + " refused by the outbound policy");
        } catch (IOException e) {
            throw new ApiConnectionException("Twilio API at " + apiBase.getHost() + " not reached: " + e.getMessage(), e);
        }
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    private static String form(Map<String, List<String>> params) {
        return params.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
