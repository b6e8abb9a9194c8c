package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The {@code sms-phone-number} mapper, read from real token responses and the userinfo endpoint. */
class PhoneClaimsIT {

    private static final SmsLog sms = new SmsLog(KeycloakServer.shared());
    private static TestRealm realm;

    @BeforeAll
    static void createRealm() {
        realm = TestRealm.create("claims", r -> {
            ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
            mapper.setName("phone number from SMS");
            mapper.setProtocol("openid-connect");
            mapper.setProtocolMapper("sms-phone-number");
            mapper.setConfig(Map.of("id.token.claim", "true", "access.token.claim", "true", "userinfo.token.claim", "true"));
            r.getClients().get(0).setProtocolMappers(List.of(mapper));
        });
    }

    @AfterAll
    static void deleteRealm() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void theFirstEnrolledNumberIsInTheTokensAndUserinfo() throws Exception {
        Steps.enrolledUser(realm, sms, "claims-phone", "+49 151 60000031", "31");
        JsonNode tokens = realm.admin().tokens(realm.name(), TestRealm.CLIENT_ID, "claims-phone", TestRealm.PASSWORD, "openid");
        for (String token : List.of("id_token", "access_token")) {
            JsonNode claims = claims(tokens.get(token).asText());
            assertEquals("+4915160000031", claims.path("phone_number").asText(), token + ": " + claims);
            assertTrue(claims.path("phone_number_verified").asBoolean(), token);
        }
        JsonNode userinfo = realm.admin().asUser("GET", "/realms/" + realm.name() + "/protocol/openid-connect/userinfo",
                tokens.get("access_token").asText()).json();
        assertEquals("+4915160000031", userinfo.path("phone_number").asText(), userinfo.toString());
        assertTrue(userinfo.path("phone_number_verified").asBoolean());
    }

    @Test
    void aUserWithoutANumberGetsNoPhoneClaims() throws Exception {
        realm.createUser("claims-none");
        JsonNode tokens = realm.admin().tokens(realm.name(), TestRealm.CLIENT_ID, "claims-none", TestRealm.PASSWORD, "openid");
        JsonNode claims = claims(tokens.get("id_token").asText());
        assertEquals("claims-none", claims.path("preferred_username").asText(), "the token is this user's");
        assertFalse(claims.has("phone_number") || claims.has("phone_number_verified"), claims.toString());
    }

    private static JsonNode claims(String jwt) throws Exception {
        String payload = jwt.split("\\.")[1];
        return new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
