package io.github.keycloaksms.admin;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.flow.PumpingPauses;
import io.github.keycloaksms.gateway.InvalidSettingsException;

/**
 * The pumping watch's pauses for admins, {@code /admin/realms/{realm}/sms/pauses}: who may view
 * the realm lists them, who may manage it lifts one; each lift is an admin event.
 */
public class PausesResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    PausesResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<PumpingPauses.Listed> list() {
        auth.realm().requireViewRealm();
        return pauses().list();
    }

    /** Lifts the pause on a country ({@code +49}) or prefix ({@code +49151234}); 404 when none is on. */
    @DELETE
    @Path("{scope}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response lift(@PathParam("scope") String scope) {
        auth.realm().requireManageRealm();
        if (!pauses().lift(scope)) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "pause_not_found", "error_description", "no pause is on for this country or prefix")).build();
        }
        adminEvent.operation(OperationType.DELETE).resource(ResourceType.REALM).resourcePath(session.getContext().getUri()).success();
        return Response.noContent().build();
    }

    private PumpingPauses pauses() {
        try {
            return new PumpingPauses(session, realm, RealmSmsSettings.load(session, realm));
        } catch (InvalidSettingsException e) {
            throw new WebApplicationException(Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "sms_settings_invalid", "error_description", e.getMessage())).build());
        }
    }
}
