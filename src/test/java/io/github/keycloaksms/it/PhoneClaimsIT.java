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

import com.fasterxml.jackson.core.type.TypeReference;
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
    void aNumberAnAdminAddedIsVerifiedOnlyWhenTheMapperSaysSo() throws Exception {
        String userId = realm.createUser("claims-vouched");
        AdminApi.Response added = realm.admin().post(realm.path("/sms/users/" + userId + "/numbers"),
                Map.of("phone", "+49 151 60000032", "verified", true));
        assertEquals(201, added.status(), added.body());
        JsonNode claims = claims(realm.admin().tokens(realm.name(), TestRealm.CLIENT_ID, "claims-vouched", TestRealm.PASSWORD, "openid")
                .get("id_token").asText());
        assertEquals("+4915160000032", claims.path("phone_number").asText(), claims.toString());
        assertFalse(claims.path("phone_number_verified").asBoolean(true), "nobody proved it with a code: " + claims);

        String clientUuid = realm.admin().get(realm.path("/clients?clientId=" + TestRealm.CLIENT_ID)).json().get(0).path("id").asText();
        String mappers = realm.path("/clients/" + clientUuid + "/protocol-mappers/models");
        ProtocolMapperRepresentation mapper = realm.admin().get(mappers).as(new TypeReference<List<ProtocolMapperRepresentation>>() { })
                .stream().filter(m -> m.getProtocolMapper().equals("sms-phone-number")).findFirst().orElseThrow();
        Map<String, String> config = new java.util.HashMap<>(mapper.getConfig());
        config.put("vouchedIsVerified", "true");
        mapper.setConfig(config);
        assertEquals(204, realm.admin().put(mappers + "/" + mapper.getId(), mapper).status());
        try {
            claims = claims(realm.admin().tokens(realm.name(), TestRealm.CLIENT_ID, "claims-vouched", TestRealm.PASSWORD, "openid")
                    .get("id_token").asText());
            assertTrue(claims.path("phone_number_verified").asBoolean(), "the mapper counts admins' numbers: " + claims);
        } finally {
            config.put("vouchedIsVerified", "false");
            realm.admin().put(mappers + "/" + mapper.getId(), mapper);
        }
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
