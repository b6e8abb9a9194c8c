package io.github.keycloaksms.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A provider's answer read as JSON, for gateways that check its fields strictly. */
public final class JsonAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswer() {
    }

    /** The body as JSON; an empty object when it is empty or not JSON, so that every field read from it is missing. */
    public static JsonNode parse(String body) {
        try {
            JsonNode parsed = JSON.readTree(body);
            return parsed == null || parsed.isMissingNode() ? JSON.createObjectNode() : parsed;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
