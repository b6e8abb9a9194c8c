package io.github.keycloaksms.enrollment;

import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.keycloaksms.phone.PhoneNumber;

/**
 * Tells the user by email that a number was added next to one they already had, so a session
 * hijacker who adds their own number does not go unnoticed. Best effort: a mail problem never
 * undoes the enrollment.
 */
final class NewNumberNotice {

    static final String TEMPLATE = "sms-number-added.ftl";
    static final String SUBJECT_KEY = "smsNumberAddedSubject";
    private static final Logger LOG = Logger.getLogger(NewNumberNotice.class);

    private NewNumberNotice() {
    }

    static void send(KeycloakSession session, RealmModel realm, UserModel user, PhoneNumber added) {
        if (user.getEmail() == null || user.getEmail().isBlank() || realm.getSmtpConfig().isEmpty()) {
            return;
        }
        try {
            // Keycloak adds its own attributes to this map, so it must be mutable
            session.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user)
                    .send(SUBJECT_KEY, TEMPLATE, new HashMap<>(Map.of("maskedNumber", added.masked())));
        } catch (EmailException e) {
            LOG.warnf(e, "Could not email user %s about a newly added SMS number", user.getId());
        }
    }
}
