package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.sns.FakeSns;

/** Codes through AWS SNS, to the operator's endpoint (a local SNS), with the realm's keys or the server's own credentials. */
class SnsGatewayIT {

    private static final KeycloakServer server = KeycloakServer.shared();
    private static final Pattern CODE = Pattern.compile("#(\\d{6})$");
    private static TestRealm realm;

    @BeforeAll
    static void start() {
        realm = TestRealm.create("sns", r -> r.setBruteForceProtected(false));
    }

    @AfterAll
    static void stop() {
        realm.delete();
    }

    private static void settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.put("gateway", "sns");
        settings.put("snsRegion", "eu-central-1");
        settings.put("from", "ACME");
        settings.put("resendCooldown", "0");
        settings.putAll(extra);
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(204, response.status(), response.body());
    }

    /** The login's send is done when its page is: the Publish is there by then. */
    private static FakeSns.Publish awaitPublish(int mark) {
        List<FakeSns.Publish> received = KeycloakServer.sns().received();
        assertEquals(mark + 1, received.size(), "one Publish");
        return received.get(mark);
    }

    private static String code(FakeSns.Publish publish) {
        Matcher matcher = CODE.matcher(publish.form().get("Message"));
        assertTrue(matcher.find(), publish.form().get("Message"));
        return matcher.group(1);
    }

    @Test
    void enrollmentAndLoginWithTheRealmsKeysFromTheVault() throws Exception {
        Files.writeString(KeycloakServer.VAULT_DIR.resolve(realm.name() + "_aws-secret"), "vaulted-aws-secret");
        settings(Map.of("snsAccessKeyId", "AKIAREALMKEY00000001", "snsSecretAccessKey", "${vault.aws-secret}"));
        realm.createUser("sns-user");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("sns-user", TestRealm.PASSWORD);
            int mark = KeycloakServer.sns().received().size();
            browser.fill("phone", "+49 151 50000201").submit("send");
            FakeSns.Publish publish = awaitPublish(mark);
            assertEquals("AKIAREALMKEY00000001", publish.accessKeyId());
            assertEquals("eu-central-1", publish.region());
            assertEquals("+4915150000201", publish.form().get("PhoneNumber"));
            assertEquals("Transactional", publish.attribute("AWS.SNS.SMS.SMSType"));
            assertEquals("ACME", publish.attribute("AWS.SNS.SMS.SenderID"));
            browser.fill("code", code(publish)).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
        try (Browser browser = new Browser()) {
            int mark = KeycloakServer.sns().received().size();
            browser.open(realm.authUrl()).login("sns-user", TestRealm.PASSWORD);
            browser.fill("code", code(awaitPublish(mark))).submit("verify");
            assertTrue(browser.isLoggedIn(), browser.text());
        }
    }

    @Test
    void withoutKeysTheServersOwnCredentialsSign() {
        settings(Map.of());
        realm.createUser("sns-server-credentials");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("sns-server-credentials", TestRealm.PASSWORD);
            int mark = KeycloakServer.sns().received().size();
            browser.fill("phone", "+49 151 50000202").submit("send");
            assertEquals(KeycloakServer.SERVER_AWS_KEY_ID, awaitPublish(mark).accessKeyId());
        }
    }

    @Test
    void anAwsRefusalIsToldToTheUserAndNotRetried() {
        settings(Map.of());
        realm.createUser("sns-invalid-number");
        KeycloakServer.sns().fail(400, "InvalidParameter", "Invalid parameter: PhoneNumber Reason: not valid to publish to");
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login("sns-invalid-number", TestRealm.PASSWORD);
            int mark = KeycloakServer.sns().received().size();
            browser.fill("phone", "+49 151 50000203").submit("send");
            assertEquals(200, browser.status());
            assertTrue(browser.text().contains("cannot receive"), browser.text());
            assertEquals(mark + 1, KeycloakServer.sns().received().size());
        } finally {
            KeycloakServer.sns().fail(0, null, null);
        }
    }

    @Test
    void aRegionThatIsNotOneIsRefusedWhenSaved() {
        Map<String, String> settings = new HashMap<>(realm.smsSettings());
        settings.putAll(Map.of("gateway", "sns", "snsRegion", "Frankfurt"));
        AdminApi.Response response = realm.updateSmsSettings(settings);
        assertEquals(400, response.status(), response.body());
        assertTrue(response.body().contains("AWS region"), response.body());
    }
}
