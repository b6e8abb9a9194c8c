package io.github.keycloaksms.signin;

import java.util.List;

import jakarta.ws.rs.core.UriInfo;

import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.login.BruteForceCount;

/**
 * A wrong code at phone sign-in counts against the number's holder, if there is one, in
 * Keycloak's brute-force detection, as a wrong password would; after the response, so that
 * looking for the holder takes none of the visitor's time.
 */
record WrongCodeJob(AfterResponse visit, UriInfo uri, String numberIndex) implements Runnable {

    @Override
    public void run() {
        visit.run("a wrong code", this::count);
    }

    private void count(KeycloakSession session, RealmModel realm) {
        EventBuilder event = visit.event(session, realm);
        List<UserModel> holders = AfterResponse.holders(session, realm, numberIndex);
        if (holders.size() == 1) {
            event.user(holders.get(0));
            BruteForceCount.failureOf(holders.get(0), session, realm, visit.connection(), uri);
        }
        event.error(Errors.INVALID_USER_CREDENTIALS);
    }
}
