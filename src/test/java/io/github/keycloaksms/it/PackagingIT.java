package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The one JAR operators install: what it holds, and that Keycloak takes it without complaint. */
class PackagingIT {

    private static final KeycloakServer server = KeycloakServer.shared();

    @Test
    void theJarBundlesOnlyRelocatedLibphonenumberBesidesOurOwnCodeAndTheme() throws IOException {
        try (JarFile jar = new JarFile(System.getProperty("sms.jar"))) {
            Set<String> entries = jar.stream().map(e -> e.getName()).collect(Collectors.toSet());
            assertTrue(entries.contains("io/github/keycloaksms/shaded/phonenumbers/PhoneNumberUtil.class"));
            assertTrue(entries.contains("io/github/keycloaksms/shaded/hc/client5/http/impl/classic/HttpClients.class"));
            for (String prefix : List.of("com/google/", "org/keycloak/", "org/freemarker/", "freemarker/",
                    "com/fasterxml/", "org/apache/", "org/jboss/", "io/micrometer/")) {
                assertTrue(entries.stream().noneMatch(e -> e.startsWith(prefix)), "bundles " + prefix);
            }
            for (String resource : List.of("theme-resources/templates/login-sms-phone.ftl",
                    "theme-resources/templates/login-sms-code.ftl",
                    "theme-resources/messages/messages_en.properties",
                    "theme-resources/messages/messages_de.properties",
                    "META-INF/services/org.keycloak.provider.Spi",
                    "META-INF/services/io.github.keycloaksms.gateway.SmsGatewayFactory",
                    "META-INF/services/org.keycloak.authentication.AuthenticatorFactory",
                    "META-INF/services/org.keycloak.authentication.RequiredActionFactory",
                    "META-INF/services/org.keycloak.credential.CredentialProviderFactory")) {
                assertTrue(entries.contains(resource), "missing " + resource);
            }
            for (var entry : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                if (entry.getName().startsWith("io/github/keycloaksms/") && entry.getName().endsWith(".class")) {
                    String bytes = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertFalse(bytes.contains("com/google/i18n") || bytes.contains("org/apache/hc/"),
                            entry.getName() + " refers to an unrelocated library");
                }
            }
        }
    }

    @Test
    void keycloakStartsCleanWithTheJarAndListsOurProviders() {
        List<String> startup = server.lines().stream()
                .takeWhile(line -> !line.contains("started in"))
                .toList();
        assertTrue(startup.stream().noneMatch(line -> line.contains(" ERROR ")), String.join("\n", startup));
        List<String> ourWarnings = startup.stream()
                .filter(line -> line.contains(" WARN ") && line.contains("keycloaksms"))
                .filter(line -> !line.contains("KC-SERVICES0047"))   // every custom authenticator gets this notice
                .toList();
        assertEquals(List.of(), ourWarnings);

        JsonNode providers = new AdminApi().get("/admin/serverinfo").json().get("providers");
        assertTrue(providers.get("sms-gateway").get("providers").has("log"));
        assertTrue(providers.get("authenticator").get("providers").has("sms-otp-form"));
        assertTrue(providers.get("required-action").get("providers").has("sms-register"));
        assertTrue(providers.get("credential").get("providers").has("keycloak-sms"));
    }

    @Test
    void theAdminConsoleOffersTheSettingsWithHelpAndTheInstalledGateways() {
        JsonNode description = new AdminApi().get("/admin/realms/master/authentication/required-actions/sms-register/config-description").json();
        List<JsonNode> properties = StreamSupport.stream(description.get("properties").spliterator(), false).toList();
        Set<String> names = properties.stream().map(p -> p.get("name").asText()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("gateway", "fallbackGateway", "from", "defaultRegion", "allowedRegions",
                "codeLength", "codeTtl", "maxAttempts", "resendCooldown", "verifyOnly", "uniqueNumbers")), names.toString());
        JsonNode gateway = properties.stream().filter(p -> p.get("name").asText().equals("gateway")).findFirst().orElseThrow();
        assertTrue(gateway.get("options").toString().contains("\"log\""), gateway.toString());
        String help = gateway.get("helpText").asText();
        assertTrue(help.contains("log = Server log (development only)") && help.contains("sns = AWS SNS")
                && help.contains("twilio = Twilio") && help.contains("webhook = Webhook"), "the ids the list shows, in words: " + help);
        JsonNode fallback = properties.stream().filter(p -> p.get("name").asText().equals("fallbackGateway")).findFirst().orElseThrow();
        assertEquals("none", fallback.get("options").get(0).asText(), "a readable choice for no fallback: " + fallback);
        assertEquals("none", fallback.get("defaultValue").asText());
        assertTrue(properties.stream().allMatch(p -> p.has("helpText") && !p.get("helpText").asText().isBlank()));
    }
}
