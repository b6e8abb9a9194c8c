package io.github.keycloaksms.gateway.whatsapp;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.keycloaksms.testing.LocalHttpServer;

/**
 * The WhatsApp Business Cloud API's messages endpoint as a local server: it accepts a message with
 * the Graph API's answer (the contact and the message id) unless told to answer otherwise.
 */
public final class FakeWhatsAppCloud implements AutoCloseable {

    private final AtomicReference<LocalHttpServer.Reply> answer = new AtomicReference<>();
    private final LocalHttpServer server = new LocalHttpServer(request -> answer.get() != null ? answer.get()
            : LocalHttpServer.Reply.of(200, "application/json", "{\"messaging_product\": \"whatsapp\", \"contacts\": [{\"input\": \""
                    + request.json().path("to").asText() + "\", \"wa_id\": \"4915123456789\"}], \"messages\": [{\"id\": "
                    + "\"wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA\", \"message_status\": \"accepted\"}]}"));

    /** The API's base URL, version included, as the setting takes it. */
    public String url() {
        return server.url() + "/v21.0";
    }

    public void answer(int status, String body) {
        answer.set(LocalHttpServer.Reply.of(status, "application/json", body));
    }

    /** A Graph API error: {@code {"error": {"message", "type", "code", "fbtrace_id"}}}. */
    public void fail(int status, int code, String message) {
        answer(status, "{\"error\": {\"message\": \"" + message + "\", \"type\": \"OAuthException\", \"code\": " + code
                + ", \"fbtrace_id\": \"AbC1\"}}");
    }

    public List<LocalHttpServer.Request> received() {
        return server.received();
    }

    @Override
    public void close() {
        server.close();
    }
}
