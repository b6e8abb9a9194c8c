package io.github.keycloaksms.flow;

import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What a {@link CodeStep} needs of Keycloak's two contexts, an authenticator's and a required
 * action's, which share no interface.
 *
 * @param user            the flow's user; gives null before anyone is known (phone sign-in, an unknown name at reset)
 * @param executionId     the step's execution; null for the required action
 * @param form            a login form bound to this step
 * @param failureChallenge shows a page that answers a wrong credential; Keycloak counts it as a failed step where it does
 */
record StepContext(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession, Supplier<UserModel> user,
                   EventBuilder event, UriInfo uri, String executionId, Supplier<LoginFormsProvider> form,
                   Consumer<Response> challenge, Consumer<Response> failureChallenge) {

    static StepContext of(AuthenticationFlowContext context) {
        String executionId = context.getExecution().getId();
        return new StepContext(context.getSession(), context.getRealm(), context.getAuthenticationSession(), context::getUser,
                context.getEvent(), context.getUriInfo(), executionId, () -> context.form().setExecution(executionId),
                context::challenge, page -> context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page));
    }

    static StepContext of(RequiredActionContext context) {
        return new StepContext(context.getSession(), context.getRealm(), context.getAuthenticationSession(), context::getUser,
                context.getEvent(), context.getUriInfo(), null, context::form, context::challenge, context::challenge);
    }
}
