package io.github.keycloaksms.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.AuthenticatorConfigRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

/** A realm made from the demo realm file, under its own name, with a client for the tests. */
public final class TestRealm {

    public static final String CLIENT_ID = "sms-it";
    /** The client whose browser flow is phone sign-in, in realms made with {@link #withPhoneSignIn}. */
    public static final String PHONE_CLIENT_ID = "phone-it";
    /** Where the shared server's test realms send the browser after a login. */
    public static final String REDIRECT_URI = redirectUri(KeycloakServer.BASE_URL);
    public static final String PASSWORD = "Secret-pass-1";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[A-Z0-9_]+:([^}]*)}");

    private final String name;
    private final String baseUrl;
    private final String redirectUri;
    private final AdminApi admin;

    private TestRealm(String name, String baseUrl, String redirectUri) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.redirectUri = redirectUri;
        this.admin = new AdminApi(baseUrl);
    }

    /** The same realm, reached through another node of a cluster. */
    public TestRealm on(KeycloakServer node) {
        return new TestRealm(name, node.baseUrl(), redirectUri);
    }

    private static String redirectUri(String baseUrl) {
        return baseUrl + "/it-callback";
    }

    public static RealmRepresentation demoRealm() {
        try {
            String json = Files.readString(Path.of(System.getProperty("demo.realm")));
            return JsonSerialization.readValue(withPlaceholderDefaults(json), RealmRepresentation.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the demo realm", e);
        }
    }

    /** What {@code --import-realm} makes of the file's {@code ${VAR:default}} placeholders when no VAR is set. */
    static String withPlaceholderDefaults(String json) {
        return PLACEHOLDER.matcher(json).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }

    public static TestRealm create(String prefix, Consumer<RealmRepresentation> customize) {
        return create(KeycloakServer.shared(), prefix, customize);
    }

    public static TestRealm create(KeycloakServer server, String prefix, Consumer<RealmRepresentation> customize) {
        RealmRepresentation realm = demoRealm();
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        realm.setRealm(name);
        realm.setUsers(List.of());
        // flow ids are unique across realms: the demo's own (for its client's flow override) goes
        realm.getAuthenticationFlows().forEach(flow -> flow.setId(null));
        realm.setClients(new ArrayList<>(List.of(client(CLIENT_ID, server))));
        customize.accept(realm);
        AdminApi.Response response = new AdminApi(server.baseUrl()).post("/admin/realms", realm);
        if (response.status() != 201) {
            throw new IllegalStateException("realm import failed: " + response.status() + " " + response.body());
        }
        return new TestRealm(name, server.baseUrl(), redirectUri(server.baseUrl()));
    }

    private static ClientRepresentation client(String clientId, KeycloakServer server) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setRedirectUris(List.of(redirectUri(server.baseUrl())));
        return client;
    }

    /**
     * Adds a flow whose only step is phone sign-in, and the client {@value #PHONE_CLIENT_ID} that
     * logs in through it; the realm's own browser flow (password, then SMS) stays for enrolling.
     *
     * @param thenSteps authenticators required after phone sign-in, e.g. a password form
     */
    public static void withPhoneSignIn(RealmRepresentation realm, KeycloakServer server, boolean allowSignUp, String... thenSteps) {
        AuthenticatorConfigRepresentation config = new AuthenticatorConfigRepresentation();
        config.setAlias("phone sign-in test");
        config.setConfig(new HashMap<>(Map.of("allowSignUp", String.valueOf(allowSignUp))));
        List<AuthenticatorConfigRepresentation> configs = new ArrayList<>(
                realm.getAuthenticatorConfig() == null ? List.of() : realm.getAuthenticatorConfig());
        configs.add(config);
        realm.setAuthenticatorConfig(configs);

        AuthenticationExecutionExportRepresentation step = execution("sms-phone-login", "REQUIRED");
        step.setAuthenticatorConfig(config.getAlias());
        step.setPriority(10);
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setId(UUID.randomUUID().toString());
        flow.setAlias("phone sign-in test");
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        List<AuthenticationExecutionExportRepresentation> steps = new ArrayList<>(List.of(step));
        for (String then : thenSteps) {
            AuthenticationExecutionExportRepresentation next = execution(then, "REQUIRED");
            next.setPriority(10 * (steps.size() + 1));
            steps.add(next);
        }
        flow.setAuthenticationExecutions(steps);
        List<AuthenticationFlowRepresentation> flows = new ArrayList<>(realm.getAuthenticationFlows());
        flows.add(flow);
        realm.setAuthenticationFlows(flows);

        ClientRepresentation client = client(PHONE_CLIENT_ID, server);
        client.setAuthenticationFlowBindingOverrides(Map.of("browser", flow.getId()));
        List<ClientRepresentation> clients = new ArrayList<>(realm.getClients());
        clients.add(client);
        realm.setClients(clients);
    }

    /**
     * A realm for tests that enter many codes quickly: no brute-force lockout, no resend cooldown.
     */
    public static TestRealm createWithoutLockoutOrCooldown(String prefix) {
        return create(prefix, r -> {
            r.setBruteForceProtected(false);
            smsConfig(r).put("resendCooldown", "0");
        });
    }

    /** Makes {@code executions}, in this order, the realm's reset-credentials flow. */
    public static void resetFlow(RealmRepresentation realm, AuthenticationExecutionExportRepresentation... executions) {
        List<AuthenticationFlowRepresentation> flows = new ArrayList<>(realm.getAuthenticationFlows());
        flows.add(flow("reset by SMS", true, executions));
        realm.setAuthenticationFlows(flows);
        realm.setResetCredentialsFlow("reset by SMS");
        realm.setResetPasswordAllowed(true);
    }

    /** A flow of {@code executions} in this order, for realms built in the tests. */
    public static AuthenticationFlowRepresentation flow(String alias, boolean topLevel, AuthenticationExecutionExportRepresentation... executions) {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(topLevel);
        for (int i = 0; i < executions.length; i++) {
            executions[i].setPriority(10 * (i + 1));
        }
        flow.setAuthenticationExecutions(new ArrayList<>(List.of(executions)));
        return flow;
    }

    /** Choose user, reset by SMS code, a new password: the realm's reset-credentials flow. */
    public static void withResetBySms(RealmRepresentation realm) {
        resetFlow(realm, execution("reset-credentials-choose-user", "REQUIRED"), execution("sms-reset-code", "REQUIRED"),
                execution("reset-password", "REQUIRED"));
    }

    /** A step of an authentication flow, for realms built in the tests. */
    public static AuthenticationExecutionExportRepresentation execution(String authenticator, String requirement) {
        AuthenticationExecutionExportRepresentation execution = new AuthenticationExecutionExportRepresentation();
        execution.setAuthenticator(authenticator);
        execution.setRequirement(requirement);
        execution.setAuthenticatorFlow(false);
        return execution;
    }

    /** A user to import with the test password and an authenticator app (TOTP, SHA-1, 6 digits, 30 s) holding {@code secret}. */
    public static UserRepresentation userWithTotp(String username, String secret) {
        UserRepresentation user = userWithPassword(username);
        CredentialRepresentation otp = new CredentialRepresentation();
        otp.setType("otp");
        otp.setUserLabel("phone app");
        otp.setSecretData("{\"value\":\"" + secret + "\"}");
        otp.setCredentialData("{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}");
        user.setCredentials(List.of(user.getCredentials().get(0), otp));
        return user;
    }

    /** A user with an email address and the test password, to create or import. */
    public static UserRepresentation userWithPassword(String username) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@example.org");
        user.setEmailVerified(true);
        user.setFirstName("Test");
        user.setLastName("User");
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(PASSWORD);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        return user;
    }

    /** The user with an SMS number as an import carries it: {@code {"phone": "..."}} credential data, no index. */
    public static UserRepresentation withSmsNumber(UserRepresentation user, String phone) {
        return withSmsCredential(user, "{\"phone\":\"" + phone + "\"}");
    }

    /** The user with an SMS credential holding {@code credentialData} as it is, as an import file or an admin API call may give it. */
    public static UserRepresentation withSmsCredential(UserRepresentation user, String credentialData) {
        CredentialRepresentation number = new CredentialRepresentation();
        number.setType("sms");
        number.setSecretData("{}");
        number.setCredentialData(credentialData);
        List<CredentialRepresentation> credentials = new ArrayList<>(user.getCredentials());
        credentials.add(number);
        user.setCredentials(credentials);
        return user;
    }

    public static Map<String, String> smsConfig(RealmRepresentation realm) {
        return smsAction(realm).getConfig();
    }

    public static RequiredActionProviderRepresentation smsAction(RealmRepresentation realm) {
        return realm.getRequiredActions().stream().filter(a -> a.getProviderId().equals("sms-register")).findFirst().orElseThrow();
    }

    public String name() {
        return name;
    }

    public AdminApi admin() {
        return admin;
    }

    /** Replaces the realm's SMS settings through the admin API, as the admin console does. */
    public AdminApi.Response updateSmsSettings(Map<String, String> config) {
        RequiredActionConfigRepresentation rep = new RequiredActionConfigRepresentation();
        rep.setConfig(new HashMap<>(config));
        return admin.put(path("/authentication/required-actions/sms-register/config"), rep);
    }

    /** Adds a named gateway to the realm, as an admin does through the components API. */
    public void addGateway(String gatewayName, Map<String, String> config) {
        Map<String, List<String>> values = new HashMap<>();
        config.forEach((key, value) -> values.put(key, List.of(value)));
        AdminApi.Response created = admin.post(path("/components"), Map.of("name", gatewayName, "providerId", "sms-gateway",
                "providerType", GatewayInstancesIT.TYPE, "config", values));
        if (created.status() != 201) {
            throw new IllegalStateException("gateway creation failed: " + created.status() + " " + created.body());
        }
    }

    public Map<String, String> smsSettings() {
        return admin.get(path("/authentication/required-actions/sms-register/config"))
                .as(new com.fasterxml.jackson.core.type.TypeReference<RequiredActionConfigRepresentation>() { }).getConfig();
    }

    public String createUser(String username) {
        AdminApi.Response response = admin.post(path("/users"), userWithPassword(username));
        if (response.status() != 201) {
            throw new IllegalStateException("user creation failed: " + response.status() + " " + response.body());
        }
        return admin.userId(name, username);
    }

    public List<Map<String, Object>> smsCredentials(String userId) {
        return admin.credentials(name, userId, "sms");
    }

    /**
     * Waits until the realm's events that {@code query} selects (e.g. {@code type=LOGIN_ERROR}) hold
     * {@code count} that match: what the extension records after a response comes a moment later.
     */
    public List<JsonNode> awaitEvents(String query, int count, Predicate<JsonNode> matches) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            List<JsonNode> events = new ArrayList<>();
            admin.get(path("/events?" + query)).json().forEach(event -> {
                if (matches.test(event)) {
                    events.add(event);
                }
            });
            if (events.size() >= count) {
                return events;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("only " + events.size() + " of " + count + " events: " + query);
            }
            KeycloakServer.sleep(Duration.ofMillis(100));
        }
    }

    public JsonNode numberKeyComponent() {
        return admin.get(path("/components?type=io.github.keycloaksms.numbers.NumberKeyComponent")).json().path(0);
    }

    public String authUrl() {
        return baseUrl + "/realms/" + name + "/protocol/openid-connect/auth?client_id=" + CLIENT_ID
                + "&redirect_uri=" + AdminApi.enc(redirectUri) + "&response_type=code&scope=openid";
    }

    /** Where a visitor starts phone sign-in, in realms made with {@link #withPhoneSignIn}. */
    public String phoneAuthUrl() {
        return authUrl().replace("client_id=" + CLIENT_ID + "&", "client_id=" + PHONE_CLIENT_ID + "&");
    }

    public String path(String suffix) {
        return "/admin/realms/" + name + suffix;
    }

    public void delete() {
        admin.delete("/admin/realms/" + name);
    }
}
