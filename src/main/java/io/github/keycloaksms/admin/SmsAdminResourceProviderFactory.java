package io.github.keycloaksms.admin;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.github.keycloaksms.credential.SmsProviderIds;

/** The admin REST resource {@code /admin/realms/{realm}/sms}. */
public class SmsAdminResourceProviderFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {


    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return new NumbersResource(session, realm, auth, adminEvent);
    }

    @Override
    public String getId() {
        return SmsProviderIds.ADMIN_RESOURCE;
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
