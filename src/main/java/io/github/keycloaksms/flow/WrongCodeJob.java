package io.github.keycloaksms.flow;

import java.util.Optional;
import java.util.function.BiFunction;

import jakarta.ws.rs.core.UriInfo;

import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.flow.BruteForceCount;

/**
 * A wrong code counts against the user it was meant for, if there is one, in Keycloak's
 * brute-force detection, as a wrong password would; after the response, so that looking for
 * that user takes none of the visitor's time.
 *
 * @param whose finds the user the code was meant for
 */
record WrongCodeJob(AfterResponse visit, UriInfo uri, BiFunction<KeycloakSession, RealmModel, Optional<UserModel>> whose)
        implements Runnable {

    @Override
    public void run() {
        visit.run("a wrong code", this::count);
    }

    private void count(KeycloakSession session, RealmModel realm) {
        EventBuilder event = visit.event(session, realm);
        whose.apply(session, realm).ifPresent(user -> {
            event.user(user);
            BruteForceCount.failureOf(user, session, realm, visit.connection(), uri);
        });
        event.error(Errors.INVALID_USER_CREDENTIALS);
    }
}
