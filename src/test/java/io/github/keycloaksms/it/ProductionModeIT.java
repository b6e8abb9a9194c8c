package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A production-mode server ({@code kc.sh start}) on PostgreSQL whose operator did not allow the
 * development gateway: a realm admin cannot make it write codes into the server log. And the
 * realm's number index key, hidden from admins, survives a full export and import.
 */
class ProductionModeIT {

    private static final String DATABASE = "keycloak_sms_production_it";

    private static KeycloakServer server;
    private static TestRealm realm;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        sink = new WebhookSink();
        ClusterNodes.freshDatabase(DATABASE);
        server = ClusterNodes.node("production", DATABASE, 8291, 9291, 7840, "--proxy-headers=xforwarded");
        server.start();
        // the demo realm uses the log gateway; an import does not run the settings check
        realm = TestRealm.create(server, "production", r -> { });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        sink.close();
    }

    @Test
    void theLogGatewayIsRefusedWhenSaved() {
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("gateway", "log");
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("allow-in-production"), response.body());
    }

    @Test
    void testNumbersAreRefusedWithoutTheOperatorsOption() {
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("testNumbers", "+4915170000049=123456");
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("allow-test-numbers=true"), response.body());
    }

    @Test
    void snsWithoutKeysIsRefusedUnlessTheOperatorLendsTheServersAwsIdentity() {
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.putAll(Map.of("gateway", "sns", "snsRegion", "eu-central-1", "from", "ACME"));
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("does not lend its own AWS identity"), response.body());
    }

    @Test
    void theLogGatewayWritesNoCodeWhenItGotInAnyway() {
        String userId = realm.createUser("production-user");
        int mark = server.mark();
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("production-user", TestRealm.PASSWORD);
            browser.fill("phone", "+49 151 74000011").submit("send");
            assertEquals(200, browser.status());
            assertTrue(browser.text().contains("SMS codes are not available right now."), browser.text());
        }
        assertTrue(server.linesSince(mark).stream().noneMatch(l -> l.contains("DEVELOPMENT ONLY")), "no code in the log");
        JsonNode event = realm.admin().get(realm.path("/events?type=UPDATE_CREDENTIAL_ERROR&user=" + userId)).json().get(0);
        assertEquals("configuration", event.get("details").get("reason").asText());
    }

    @Test
    void theNumberIndexKeyIsHiddenFromAdminsYetSurvivesAFullExportAndImport() throws Exception {
        TestRealm exported = TestRealm.create(server, "exported", r -> {
            TestRealm.smsConfig(r).putAll(Map.of("gateway", "hook", "resendCooldown", "0"));
            r.setComponents(namedGateway("hook", Map.of("kind", "webhook", "webhookUrl", sink.url("/named"),
                    "webhookAuthType", "bearer", "webhookToken", "named-token-1")));
        });
        String userId = exported.createUser("before-export");
        try (Browser browser = new Browser()) {
            browser.open(exported.authUrl()).login("before-export", TestRealm.PASSWORD);
            enroll(browser, "+49 151 74000022");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        JsonNode key = exported.numberKeyComponent();
        assertEquals("**********", key.path("config").path("secret").get(0).asText(), "admins see a mask, not the key");
        assertTrue(exported.admin().get(exported.path("")).json().path("attributes").path("smsNumberIndexKey").isMissingNode());
        JsonNode gateway = exported.admin().get(exported.path("/components?type=" + GatewayInstancesIT.TYPE)).json().get(0);
        assertEquals("**********", gateway.path("config").path("webhookToken").get(0).asText(), "admins see a mask, not the token");

        // a directory of its own: the import reads every file in it, and CI runs this test on two Keycloak versions
        Path dump = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "full-export-");
        server.stop();
        ClusterNodes.runOffline(server, DATABASE, "export", "--dir=" + dump, "--realm=" + exported.name());
        server.start();
        exported.delete();
        server.stop();
        String handWritten = handWrittenRealm(dump);
        List<String> importing = new ArrayList<>(List.of("import", "--dir=" + dump));
        importing.addAll(KeycloakServer.LOCAL_GATEWAY_OPTIONS);
        ClusterNodes.runOffline(server, DATABASE, importing.toArray(String[]::new));
        server.start();

        AdminApi admin = new AdminApi(server.baseUrl());
        String fromFile = admin.userId(handWritten, "from-file");
        assertEquals("+4915174000023", admin.get("/admin/realms/" + handWritten + "/sms/users/" + fromFile + "/numbers").json()
                .get(0).path("phone").asText(), "a number written by hand into the file is normalised and indexed by kc.sh import");
        admin.delete("/admin/realms/" + handWritten);

        assertEquals(1, exported.smsCredentials(userId).size());
        try (Browser browser = new Browser()) {
            int mark = sink.mark();
            browser.open(exported.authUrl()).login("before-export", TestRealm.PASSWORD);
            WebhookSink.Received sent = sink.await(mark);
            assertEquals("/named", sent.path());
            assertEquals("Bearer named-token-1", sent.authorization(), "the named gateway's secret came along");
            browser.fill("code", sent.json().get("Body").asText()).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        exported.createUser("after-import");
        try (Browser browser = new Browser()) {
            browser.open(exported.authUrl()).login("after-import", TestRealm.PASSWORD);
            enroll(browser, "+49 151 74000022");
            assertEquals("login-sms-phone.ftl", browser.template());
            assertTrue(browser.fieldError("phone").startsWith("This number is already used by another account."),
                    "the imported index matches, so the key came along: " + browser.text());
        }
    }

    private static MultivaluedHashMap<String, ComponentExportRepresentation> namedGateway(String name, Map<String, String> config) {
        ComponentExportRepresentation gateway = new ComponentExportRepresentation();
        gateway.setName(name);
        gateway.setProviderId("sms-gateway");
        MultivaluedHashMap<String, String> values = new MultivaluedHashMap<>();
        config.forEach(values::putSingle);
        gateway.setConfig(values);
        MultivaluedHashMap<String, ComponentExportRepresentation> components = new MultivaluedHashMap<>();
        components.add(GatewayInstancesIT.TYPE, gateway);
        return components;
    }

    /** A realm file as an admin writes it, with a user's number in plain credential data; returns the realm's name. */
    private static String handWrittenRealm(Path dir) throws Exception {
        RealmRepresentation realm = TestRealm.demoRealm();
        realm.setRealm("hand-written-" + UUID.randomUUID().toString().substring(0, 8));
        realm.getAuthenticationFlows().forEach(flow -> flow.setId(null));
        realm.setClients(List.of());
        realm.setUsers(List.of(TestRealm.withSmsNumber(TestRealm.userWithPassword("from-file"), "+49 151 740-00023")));
        try (OutputStream out = Files.newOutputStream(dir.resolve(realm.getRealm() + "-realm.json"))) {
            JsonSerialization.writeValueToStream(out, realm);
        }
        return realm.getRealm();
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        TestRealm limited = TestRealm.create(server, "ipv6", r -> {
            r.setSslRequired("none");   // the addresses below are not local: production mode would ask for https
            TestRealm.smsConfig(r).putAll(Map.of("gateway", "webhook", "webhookUrl", sink.url("/sms"), "maxSendsPerIpPerHour", "1"));
        });
        for (String user : new String[] {"v6-a", "v6-b", "v6-c"}) {
            limited.createUser(user);
        }
        assertTrue(sendsFrom(limited, "v6-a", "2001:db8:1:2::1", "+49 151 74000041"), "the first address of the /64");
        assertFalse(sendsFrom(limited, "v6-b", "2001:db8:1:2:ffff:ffff:ffff:fffe", "+49 151 74000042"),
                "another address of the same /64 shares its hourly limit");
        assertTrue(sendsFrom(limited, "v6-c", "2001:db8:1:3::1", "+49 151 74000043"), "the next /64 has a limit of its own");
    }

    /** Logs in through a proxy that reports {@code address} and types the number: true when a code went out. */
    private static boolean sendsFrom(TestRealm realm, String username, String address, String phone) {
        int mark = sink.mark();
        FormLogin client = new FormLogin(address).open(realm.authUrl())
                .submit("kc-form-login", Map.of("username", username, "password", TestRealm.PASSWORD))
                .submit("kc-sms-phone-form", Map.of("phone", phone));
        boolean refused = client.body().contains("Too many codes were requested from your network.");
        assertEquals(refused, sink.since(mark).isEmpty(), client.body());
        return !refused;
    }

    /** Types the number and the code the webhook received. */
    private static void enroll(Browser browser, String phone) {
        int mark = sink.mark();
        browser.fill("phone", phone).submit("send");
        browser.fill("code", sink.await(mark).json().get("Body").asText()).submit("verify");
    }
}
