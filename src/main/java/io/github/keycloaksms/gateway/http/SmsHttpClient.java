package io.github.keycloaksms.gateway.http;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

import io.github.keycloaksms.gateway.GatewayHttp;

/**
 * The HTTP client every gateway shares: pooled keep-alive connections, short timeouts, a hard
 * deadline per request, no redirects and no automatic retries, so one send is at most one request.
 * Each request obeys its gateway's {@link OutboundPolicy}, on the address actually connected to,
 * and goes through the egress proxy Keycloak's own client would use for its host. Through a proxy,
 * a host the operator did not list is looked up and checked here, and the proxy is asked to
 * connect to that address, while TLS still names and verifies the host.
 */
public final class SmsHttpClient implements Closeable {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEADLINE = Duration.ofSeconds(8);
    private static final int MAX_BODY = 64 * 1024;

    /** Pooled connections opened to a listed host may have any address: never lend them to a public-only request. */
    private static final String LISTED_CONNECTION = "listed-host";
    private static final String PUBLIC_CONNECTION = "public-address";
    /** The host the request is for, when the route's target is its checked address: for the proxy's choice and for TLS. */
    private static final String NAMED_HOST = "sms.named-host";

    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sms-http-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final EgressProxies proxies;

    public SmsHttpClient(SSLContext sslContext) {
        this(sslContext, null);
    }

    /** @param proxies where requests go through an egress proxy; null: always directly */
    SmsHttpClient(SSLContext sslContext, EgressProxies proxies) {
        this.proxies = proxies;
        this.client = HttpClients.custom()
                .setRoutePlanner(new DefaultRoutePlanner(null) {
                    @Override
                    protected HttpHost determineProxy(HttpHost target, HttpContext context) {
                        Object named = context.getAttribute(NAMED_HOST);
                        EgressProxies.Proxy proxy = proxyFor(named instanceof String host ? host : target.getHostName());
                        return proxy == null ? null : proxy.host();
                    }
                })
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(namedTls(new DefaultClientTlsStrategy(sslContext)))
                        .setDnsResolver(new PolicyDnsResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                                .setSocketTimeout(Timeout.of(RESPONSE_TIMEOUT))
                                .build())
                        .setMaxConnTotal(50)
                        .setMaxConnPerRoute(20)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(RESPONSE_TIMEOUT)).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("keycloak-sms-authenticator")
                .build();
    }

    /**
     * POSTs once, if the policy allows the URL and the address it resolves to.
     *
     * @throws GatewayHttp.Refused when the policy forbids the URL or the host's address
     * @throws IOException            on connection errors, timeouts and the deadline
     */
    public GatewayHttp.Answer post(URI uri, OutboundPolicy policy, Map<String, String> headers, ContentType contentType, String body)
            throws IOException, GatewayHttp.Refused {
        EgressProxies.Proxy proxy = proxyFor(uri.getHost());
        policy.check(uri.toString());
        HttpClientContext context = HttpClientContext.create();
        HttpHost target = null;
        if (proxy != null && !policy.isListed(uri.getHost())) {
            target = new HttpHost(uri.getScheme(), policy.checkedAddress(uri.getHost()).getHostAddress(), OutboundPolicy.port(uri));
            context.setAttribute(NAMED_HOST, uri.getHost());
        }
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), contentType));
        context.setUserToken(policy.isListed(uri.getHost()) ? LISTED_CONNECTION : PUBLIC_CONNECTION);
        if (proxy != null && proxy.credentials() != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(proxy.host()), proxy.credentials());
            context.setCredentialsProvider(credentials);
        }
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        PolicyDnsResolver.use(policy, proxy == null ? null : proxy.host().getHostName());
        try {
            return client.execute(target, post, context, response -> GatewayHttp.Answer.of(response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), MAX_BODY)));
        } catch (PolicyDnsResolver.RefusedAddress e) {
            throw e.reason;
        } catch (IOException | RuntimeException e) {
            if (post.isCancelled()) {
                throw new IOException("no answer within the deadline of " + DEADLINE.toSeconds() + " s", e);
            }
            throw e;
        } finally {
            PolicyDnsResolver.clear();
            deadline.cancel(false);
        }
    }

    /** TLS names the host the request is for, also where the route's target is its checked address. */
    private static TlsSocketStrategy namedTls(TlsSocketStrategy tls) {
        return (socket, target, port, attachment, context) -> {
            Object named = context == null ? null : context.getAttribute(NAMED_HOST);
            return tls.upgrade(socket, named instanceof String host ? host : target, port, attachment, context);
        };
    }

    private EgressProxies.Proxy proxyFor(String host) {
        return proxies == null ? null : proxies.proxyFor(host);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
