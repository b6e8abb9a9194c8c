package io.github.keycloaksms.gateway.sns;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;

import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.GatewayHttp;
import io.github.keycloaksms.gateway.http.SmsHttpClient;

/**
 * SNS clients by region and credentials, built once (building one is costly) and kept, at most
 * {@value #MAX_CLIENTS}. Without keys in the settings, and only where the operator allows it, the
 * SDK's default credential chain applies: environment, system properties, web identity (IRSA),
 * profile, container and instance roles: the server's own AWS identity.
 */
final class SnsClients implements AutoCloseable {

    static final int MAX_CLIENTS = 16;
    static final String SERVER_CREDENTIALS_OPTION = "allow-server-credentials";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d{1,2}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");

    /** What a client is made of: region and credentials, the secret only as its hash. */
    record Key(String region, String accessKeyId, String secretHash) {
    }

    /** The realm's SNS settings, checked. */
    record Settings(String region, String accessKeyId, String secret) {

        /** @param serverCredentialsAllowed the operator lets realms without keys use the server's own AWS identity */
        static Settings of(GatewayConfig config, boolean serverCredentialsAllowed) {
            String region = config.get(SnsSmsGateway.REGION);
            if (region == null || !REGION.matcher(region).matches()) {
                throw new IllegalArgumentException(SnsSmsGateway.REGION + " must be an AWS region such as us-east-1 or eu-west-1");
            }
            String keyId = config.get(SnsSmsGateway.ACCESS_KEY_ID);
            String secret = config.get(SnsSmsGateway.SECRET_ACCESS_KEY);
            if ((keyId == null) != (secret == null)) {
                throw new IllegalArgumentException("set both " + SnsSmsGateway.ACCESS_KEY_ID + " and " + SnsSmsGateway.SECRET_ACCESS_KEY
                        + (serverCredentialsAllowed ? ", or neither to use the server's AWS credentials (environment, IRSA, instance role)" : ""));
            }
            if (keyId == null && !serverCredentialsAllowed) {
                throw new IllegalArgumentException("set " + SnsSmsGateway.ACCESS_KEY_ID + " and " + SnsSmsGateway.SECRET_ACCESS_KEY
                        + ": this server does not lend its own AWS identity to realms (its operator may, with --spi-sms-gateway--sns--"
                        + SERVER_CREDENTIALS_OPTION + "=true)");
            }
            if (keyId != null && !ACCESS_KEY_ID.matcher(keyId).matches()) {
                throw new IllegalArgumentException(SnsSmsGateway.ACCESS_KEY_ID + " must be an AWS access key id such as AKIA...");
            }
            return new Settings(region, keyId, secret);
        }

        Key key() {
            return new Key(region, accessKeyId, secret == null ? null : sha256(secret));
        }

        @Override
        public String toString() {
            return region + "/" + accessKeyId;
        }
    }

    private final URI endpoint;
    private final boolean serverCredentialsAllowed;
    private final Map<Key, SnsClient> clients = new LinkedHashMap<>(16, 0.75f, true);
    private AwsCredentialsProvider serverCredentials;

    /**
     * @param endpoint                 the operator's endpoint-url (a VPC endpoint, a local fake), or null for AWS's own
     * @param serverCredentialsAllowed the operator lets realms without keys use the server's own AWS identity
     */
    SnsClients(URI endpoint, boolean serverCredentialsAllowed) {
        this.endpoint = endpoint;
        this.serverCredentialsAllowed = serverCredentialsAllowed;
    }

    /** The realm's settings, checked against what the operator allows. */
    Settings settings(GatewayConfig config) {
        return Settings.of(config, serverCredentialsAllowed);
    }

    synchronized SnsClient get(Settings settings, GatewayHttp http) {
        Key key = settings.key();
        SnsClient client = clients.get(key);
        if (client == null) {
            if (clients.size() >= MAX_CLIENTS) {
                Key eldest = clients.keySet().iterator().next();
                clients.remove(eldest).close();
            }
            client = build(settings, http);
            clients.put(key, client);
        }
        return client;
    }

    private SnsClient build(Settings settings, GatewayHttp http) {
        var builder = SnsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClient(new SnsHttpAdapter(http))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallTimeout(SmsHttpClient.DEADLINE.plusSeconds(1)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentials(Settings settings) {
        if (settings.accessKeyId() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secret()));
        }
        if (serverCredentials == null) {
            serverCredentials = DefaultCredentialsProvider.builder().build();
        }
        return serverCredentials;
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(SnsClient::close);
        clients.clear();
    }
}
