package io.github.keycloaksms.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.github.keycloaksms.credential.SmsProviderIds;

/**
 * {@code POST /realms/{realm}/sms-delivery-reports/{gateway}}: where providers post delivery
 * reports ({@link DeliveryReports}). Open to anyone, like any webhook: what is not a report its
 * gateway proves the provider sent is answered 403 and changes nothing.
 */
public class DeliveryReportsResourceFactory implements RealmResourceProviderFactory {

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new Resource(session);
            }

            @Override
            public void close() {
            }
        };
    }

    public static final class Resource {

        private final KeycloakSession session;

        Resource(KeycloakSession session) {
            this.session = session;
        }

        @POST
        @Path("{gateway}")
        @Consumes(MediaType.WILDCARD)
        public Response receive(@PathParam("gateway") String gateway, InputStream body) throws IOException {
            byte[] bytes = body.readNBytes(DeliveryReports.MAX_BODY_BYTES + 1);
            if (bytes.length > DeliveryReports.MAX_BODY_BYTES) {
                return answer(Response.Status.REQUEST_ENTITY_TOO_LARGE);
            }
            Map<String, String> headers = new HashMap<>();
            session.getContext().getRequestHeaders().getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
            DeliveryReports.Answer answer = gateway.length() > 64 ? DeliveryReports.Answer.REFUSED
                    : DeliveryReports.receive(session, session.getContext().getRealm(), gateway, headers, bytes);
            return answer(answer == DeliveryReports.Answer.TAKEN ? Response.Status.OK : Response.Status.FORBIDDEN);
        }

        private static Response answer(Response.Status status) {
            return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(status.getReasonPhrase()).build();
        }
    }

    @Override
    public String getId() {
        return SmsProviderIds.DELIVERY_REPORTS;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
