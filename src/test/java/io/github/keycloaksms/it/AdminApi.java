package io.github.keycloaksms.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import org.keycloak.util.JsonSerialization;

/** Keycloak's admin REST API and the account REST API, spoken over plain HTTP with JSON. */
public final class AdminApi {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    /** The API of the shared server. */
    public AdminApi() {
        this(KeycloakServer.BASE_URL);
    }

    public AdminApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A token of the shared server. */
    public static String token(String realm, String clientId, String username, String password) {
        return new AdminApi().userToken(realm, clientId, username, password);
    }

    public String userToken(String realm, String clientId, String username, String password) {
        return tokens(realm, clientId, username, password, null).get("access_token").asText();
    }

    /** The token endpoint's whole answer to a password grant, with these scopes (null: the client's defaults). */
    public JsonNode tokens(String realm, String clientId, String username, String password, String scope) {
        String form = "grant_type=password&client_id=" + enc(clientId) + "&username=" + enc(username) + "&password=" + enc(password)
                + (scope == null ? "" : "&scope=" + enc(scope));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        Response response = send(request);
        if (response.status() != 200) {
            throw new IllegalStateException("token request failed: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JsonSerialization.mapper.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public <T> T as(TypeReference<T> type) {
            try {
                return JsonSerialization.mapper.readValue(body, type);
            } catch (IOException e) {
                throw new IllegalStateException("unexpected JSON: " + body, e);
            }
        }
    }

    private String adminToken() {
        return userToken("master", "admin-cli", KeycloakServer.ADMIN, KeycloakServer.ADMIN_PASSWORD);
    }

    public Response get(String path) {
        return send(request(path, adminToken()).GET().build());
    }

    public Response post(String path, Object body) {
        return send(request(path, adminToken()).header("Content-Type", "application/json").POST(json(body)).build());
    }

    public Response put(String path, Object body) {
        return send(request(path, adminToken()).header("Content-Type", "application/json").PUT(json(body)).build());
    }

    public Response putText(String path, String text) {
        return send(request(path, adminToken()).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    public Response delete(String path) {
        return send(request(path, adminToken()).DELETE().build());
    }

    /** A call with a user's own token, e.g. to the account REST API. */
    public Response asUser(String method, String path, String userToken) {
        return send(request(path, userToken).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A call with a JSON body and a user's own token, e.g. an admin with fewer rights than the test's. */
    public Response asUser(String method, String path, String userToken, Object body) {
        return send(request(path, userToken).header("Accept", "application/json").header("Content-Type", "application/json")
                .method(method, json(body)).build());
    }

    public String userId(String realm, String username) {
        List<Map<String, Object>> users = get("/admin/realms/" + realm + "/users?exact=true&username=" + enc(username))
                .as(new TypeReference<>() { });
        return (String) users.get(0).get("id");
    }

    public List<Map<String, Object>> credentials(String realm, String userId, String type) {
        List<Map<String, Object>> all = get("/admin/realms/" + realm + "/users/" + userId + "/credentials")
                .as(new TypeReference<>() { });
        return all.stream().filter(c -> type.equals(c.get("type"))).toList();
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JsonSerialization.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
