package io.github.keycloaksms.admin;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.flow.NumberNotice;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.numbers.EnrolledNumbers;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * A user's SMS numbers for admins: list, add (verified, or pending the user's proof at their next
 * login) and remove, with the same checks as enrollment. Keycloak's user permissions decide who
 * may: viewing the user to list, managing the user to change. Each change is an admin event,
 * which shows the number masked.
 */
public class NumbersResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final SmsCredentialProvider credentials;

    NumbersResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.credentials = SmsCredentialProvider.of(session);
    }

    /** What an admin posts. */
    public record NewNumber(String phone, Boolean verified, String label) {
    }

    /** A number as the API shows it; {@code phone} is absent for a verify-only number. */
    public record Number(String id, String phone, String masked, String label, boolean verified, boolean receivesLoginCodes,
                         Long createdDate) {

        static Number of(SmsCredentialModel credential) {
            return new Number(credential.getId(), credential.phone().map(PhoneNumber::e164).orElse(null),
                    credential.phone().map(PhoneNumber::masked).orElse(null), credential.getUserLabel(), !credential.isPending(),
                    credential.receivesLoginCodes(), credential.getCreatedDate());
        }

        /** For admin events: no full number. */
        Number withoutNumber() {
            return new Number(id, null, masked, label, verified, receivesLoginCodes, createdDate);
        }
    }

    @GET
    @Path("users/{userId}/numbers")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Number> list(@PathParam("userId") String userId) {
        UserModel user = user(userId);
        auth.users().requireView(user);
        return credentials.storedCredentials(user).map(Number::of).toList();
    }

    @POST
    @Path("users/{userId}/numbers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("userId") String userId, NewNumber body) {
        UserModel user = user(userId);
        auth.users().requireManage(user);
        if (body == null || body.phone() == null) {
            return error(Response.Status.BAD_REQUEST, "phone_missing", "give the number as \"phone\"");
        }
        SmsSettings settings;
        try {
            settings = RealmSmsSettings.load(session, realm);
        } catch (InvalidSettingsException e) {
            return error(Response.Status.CONFLICT, "sms_settings_invalid", e.getMessage());
        }
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(body.phone(), settings.defaultRegion(), settings.allowedRegions(), settings.voiceEnabled());
        } catch (PhoneNumberException e) {
            return refused(Response.Status.BAD_REQUEST, "invalid_phone", reason(e));
        }
        String index = NumberIndex.of(RealmNumberKey.get(session, realm), phone);
        EnrolledNumbers numbers = new EnrolledNumbers(session, realm, credentials);
        if (numbers.holds(user, index)) {
            return error(Response.Status.CONFLICT, "number_on_account", "the user has this number already");
        }
        if (settings.uniqueNumbers() && (!numbers.reserve(index) || numbers.heldByAnother(user, index))) {
            return refused(Response.Status.CONFLICT, "number_in_use", "another user of the realm has this number (uniqueNumbers)");
        }
        boolean verified = body.verified() == null || body.verified();
        String label = SmsPage.cleanLabel(body.label());
        SmsCredentialModel created = SmsCredentialModel.createFromCredentialModel(credentials.createCredential(realm, user,
                verified ? SmsCredentialModel.createVouched(phone, index, !settings.verifyOnly(), label)
                        : SmsCredentialModel.createPending(phone, index, label)));
        numbers.remember(user, index);
        if (verified) {
            NumberNotice.ADDED.send(session, realm, user, phone.masked());
        }
        Number shown = Number.of(created);
        adminEvent.operation(OperationType.CREATE).resource(ResourceType.USER)
                .resourcePath(session.getContext().getUri(), created.getId()).representation(shown.withoutNumber()).success();
        URI location = session.getContext().getUri().getAbsolutePathBuilder().path(created.getId()).build();
        return Response.created(location).entity(shown).type(MediaType.APPLICATION_JSON).build();
    }

    /** The pumping watch's pauses (see {@link PausesResource}). */
    @Path("pauses")
    public PausesResource pauses() {
        return new PausesResource(session, realm, auth, adminEvent);
    }

    @DELETE
    @Path("users/{userId}/numbers/{credentialId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response remove(@PathParam("userId") String userId, @PathParam("credentialId") String credentialId) {
        UserModel user = user(userId);
        auth.users().requireManage(user);
        SmsCredentialModel number = credentials.storedCredentials(user).filter(c -> c.getId().equals(credentialId)).findFirst()
                .orElse(null);
        if (number == null) {
            return error(Response.Status.NOT_FOUND, "number_not_found", "the user has no SMS number with this id");
        }
        credentials.deleteCredential(realm, user, credentialId);
        NumberNotice.REMOVED.send(session, realm, user, number.getUserLabel());
        adminEvent.operation(OperationType.DELETE).resource(ResourceType.USER)
                .resourcePath(session.getContext().getUri()).representation(Number.of(number).withoutNumber()).success();
        return Response.noContent().build();
    }

    /** The user, or a 404 to an admin who may view users at all (403 to others, as Keycloak's own user resource does). */
    private UserModel user(String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            auth.users().requireView();
            throw new jakarta.ws.rs.WebApplicationException(error(Response.Status.NOT_FOUND, "user_not_found", "no such user in this realm"));
        }
        return user;
    }

    private static String reason(PhoneNumberException e) {
        return switch (e.messageKey()) {
            case PhoneNumberException.MISSING -> "no number given";
            case PhoneNumberException.NOT_MOBILE -> "not a mobile number: it cannot receive SMS";
            case PhoneNumberException.REGION_NOT_ALLOWED -> "the number's region is not among the allowed regions";
            case PhoneNumberException.COUNTRY_CODE_MISSING -> "no country code, and the SMS settings have no default region";
            default -> "not a valid phone number";
        };
    }

    /**
     * A number that cannot be added. An admin who may not view every user of the realm (one limited
     * to groups, say) gets one answer for every such number, so "another user has it" does not tell
     * them who is in the realm.
     */
    private Response refused(Response.Status status, String error, String message) {
        return auth.users().canView() ? error(status, error, message)
                : error(Response.Status.BAD_REQUEST, "number_refused", "this number cannot be added to this user");
    }

    private static Response error(Response.Status status, String error, String message) {
        return Response.status(status).entity(Map.of("error", error, "errorMessage", message)).type(MediaType.APPLICATION_JSON).build();
    }
}
