package io.github.keycloaksms.flow;

import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Tells the user by email that a number was added to or removed from their account, so that a
 * session hijacker who swaps in their own number does not go unnoticed. Best effort: a mail
 * problem never undoes the change.
 */
public enum NumberNotice {
    ADDED("smsNumberAddedSubject", "sms-number-added.ftl"),
    REMOVED("smsNumberRemovedSubject", "sms-number-removed.ftl");

    private static final Logger LOG = Logger.getLogger(NumberNotice.class);

    private final String subjectKey;
    private final String template;

    NumberNotice(String subjectKey, String template) {
        this.subjectKey = subjectKey;
        this.template = template;
    }

    /** @param number how the number is shown: masked, or the label the user gave it */
    public void send(KeycloakSession session, RealmModel realm, UserModel user, String number) {
        if (user.getEmail() == null || user.getEmail().isBlank() || realm.getSmtpConfig().isEmpty()) {
            return;
        }
        try {
            // Keycloak adds its own attributes to this map, so it must be mutable
            session.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user)
                    .send(subjectKey, template, new HashMap<>(Map.of("maskedNumber", number)));
        } catch (EmailException e) {
            LOG.warnf(e, "Could not email user %s that an SMS number was %s", user.getId(), name().toLowerCase());
        }
    }
}
