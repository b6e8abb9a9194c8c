package io.github.keycloaksms.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionConfigRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.util.JsonSerialization;

/** A realm made from the demo realm file, under its own name, with a client for the tests. */
public final class TestRealm {

    public static final String CLIENT_ID = "sms-it";
    public static final String REDIRECT_URI = KeycloakServer.BASE_URL + "/it-callback";
    public static final String PASSWORD = "Secret-pass-1";

    private final String name;
    private final AdminApi admin = new AdminApi();

    private TestRealm(String name) {
        this.name = name;
    }

    public static RealmRepresentation demoRealm() {
        try {
            return JsonSerialization.readValue(Files.readString(Path.of(System.getProperty("demo.realm"))), RealmRepresentation.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the demo realm", e);
        }
    }

    public static TestRealm create(String prefix, Consumer<RealmRepresentation> customize) {
        KeycloakServer.shared();
        RealmRepresentation realm = demoRealm();
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        realm.setRealm(name);
        realm.setUsers(List.of());
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(CLIENT_ID);
        client.setPublicClient(true);
        client.setDirectAccessGrantsEnabled(true);
        client.setRedirectUris(List.of(REDIRECT_URI));
        realm.setClients(List.of(client));
        customize.accept(realm);
        AdminApi.Response response = new AdminApi().post("/admin/realms", realm);
        if (response.status() != 201) {
            throw new IllegalStateException("realm import failed: " + response.status() + " " + response.body());
        }
        return new TestRealm(name);
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

    public Map<String, String> smsSettings() {
        return admin.get(path("/authentication/required-actions/sms-register/config"))
                .as(new com.fasterxml.jackson.core.type.TypeReference<RequiredActionConfigRepresentation>() { }).getConfig();
    }

    public String createUser(String username) {
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
        AdminApi.Response response = admin.post(path("/users"), user);
        if (response.status() != 201) {
            throw new IllegalStateException("user creation failed: " + response.status() + " " + response.body());
        }
        return admin.userId(name, username);
    }

    public List<Map<String, Object>> smsCredentials(String userId) {
        return admin.credentials(name, userId, "sms");
    }

    public String authUrl() {
        return KeycloakServer.BASE_URL + "/realms/" + name + "/protocol/openid-connect/auth?client_id=" + CLIENT_ID
                + "&redirect_uri=" + AdminApi.enc(REDIRECT_URI) + "&response_type=code&scope=openid";
    }

    public String path(String suffix) {
        return "/admin/realms/" + name + suffix;
    }

    public void delete() {
        admin.delete("/admin/realms/" + name);
    }
}
