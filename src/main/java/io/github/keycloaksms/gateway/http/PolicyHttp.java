package io.github.keycloaksms.gateway.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.hc.core5.http.ContentType;

import io.github.keycloaksms.gateway.GatewayHttp;

/** The shared client under one gateway's outbound policy: what {@link io.github.keycloaksms.gateway.GatewayConfig#http()} gives. */
public record PolicyHttp(SmsHttpClient client, OutboundPolicy policy) implements GatewayHttp {

    @Override
    public URI check(String url) throws Refused {
        return policy.check(url);
    }

    @Override
    public URI checkWithLookup(String url) throws Refused {
        return policy.checkWithLookup(url);
    }

    @Override
    public Answer post(URI url, Map<String, String> headers, String contentType, String body) throws IOException, Refused {
        return client.post(url, policy, headers, ContentType.parse(contentType).withCharset(StandardCharsets.UTF_8), body);
    }
}
