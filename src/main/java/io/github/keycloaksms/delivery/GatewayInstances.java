package io.github.keycloaksms.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.GatewayConfig;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.SmsSendException;

/**
 * The realm's named gateways: realm components of type {@link GatewayInstance}, each of one kind
 * (an installed {@link SmsGatewayFactory}) with that kind's own fields, so a realm can have two
 * Twilio accounts or a webhook per country. A realm setting that names a gateway names one of them
 * or else, as before gateways had names, an installed kind whose fields are in the realm's settings.
 */
public final class GatewayInstances {

    public static final String PROVIDER_TYPE = GatewayInstance.class.getName();
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    /** Where sends to a gateway's name go: its kind, and the values that kind's keys are read from. */
    public record Route(String name, SmsGatewayFactory factory, Map<String, String> values) {
    }

    private GatewayInstances() {
    }

    public static Stream<ComponentModel> all(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), PROVIDER_TYPE);
    }

    public static Optional<ComponentModel> named(RealmModel realm, String name) {
        return all(realm).filter(gateway -> name.equals(gateway.getName())).findFirst();
    }

    /** The gateway kind behind a name a setting holds; empty when it names none that is installed. */
    public static Optional<SmsGatewayFactory> kindOf(KeycloakSessionFactory factories, RealmModel realm, String name) {
        String kind = named(realm, name).map(gateway -> gateway.get(SmsSettings.GATEWAY_KIND.key())).orElse(name);
        return Optional.ofNullable(kind == null ? null : factory(factories, kind));
    }

    /** @throws SmsSendException when the name is neither one of the realm's gateways nor an installed kind */
    static Route route(KeycloakSession session, RealmModel realm, SmsSettings settings, String name) throws SmsSendException {
        Optional<ComponentModel> named = named(realm, name);
        if (named.isEmpty()) {
            SmsGatewayFactory factory = factory(session.getKeycloakSessionFactory(), name);
            if (factory == null) {
                throw SmsSendException.notConfigured("the SMS gateway '" + name + "' is neither one of the realm's gateways nor installed");
            }
            return new Route(name, factory, settings.raw());
        }
        String kind = named.get().get(SmsSettings.GATEWAY_KIND.key());
        SmsGatewayFactory factory = kind == null ? null : factory(session.getKeycloakSessionFactory(), kind);
        if (factory == null) {
            throw SmsSendException.notConfigured("the realm's SMS gateway '" + name + "' is of kind '" + kind + "', which is not installed");
        }
        return new Route(name, factory,
                withSender(RealmSmsSettings.resolveVault(session, ownValues(named.get())), settings.get(GatewayConfig.FROM)));
    }

    /**
     * What is wrong with a named gateway an admin saves, each problem under its field's key
     * ({@code name} for the name); empty when nothing is.
     */
    static List<InvalidSettingsException.Problem> problems(KeycloakSession session, RealmModel realm, ComponentModel gateway) {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        String name = gateway.getName();
        if (name == null || !name.matches(NAME_PATTERN)) {
            problems.add(InvalidSettingsException.Problem.of("name",
                    "must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit"));
        } else if (name.equals(SmsSettings.NO_FALLBACK)) {
            problems.add(InvalidSettingsException.Problem.of("name", "'" + name + "' means no fallback gateway: choose another name"));
        } else if (all(realm).anyMatch(other -> name.equals(other.getName()) && !other.getId().equals(gateway.getId()))) {
            problems.add(InvalidSettingsException.Problem.of("name", "the realm has a gateway named '" + name + "' already"));
        }
        String kind = gateway.get(SmsSettings.GATEWAY_KIND.key());
        SmsGatewayFactory factory = kind == null ? null : factory(session.getKeycloakSessionFactory(), kind);
        if (factory == null) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.GATEWAY_KIND.key(), kind == null
                    ? "choose the provider this gateway sends through" : "no SMS gateway '" + kind + "' is installed"));
            return problems;
        }
        try {
            factory.validate(RealmGatewayConfig.of(session, factory, withSender(ownValues(gateway), realmFrom(session, realm)), true));
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        return problems;
    }

    private static Map<String, String> ownValues(ComponentModel gateway) {
        Map<String, String> values = new HashMap<>();
        gateway.getConfig().forEach((key, list) -> {
            if (list != null && !list.isEmpty() && list.get(0) != null) {
                values.put(key, list.get(0));
            }
        });
        return values;
    }

    /** The values with the realm's sender where the gateway has none of its own. */
    private static Map<String, String> withSender(Map<String, String> own, String realmFrom) {
        Map<String, String> values = new HashMap<>(own);
        String from = values.get(GatewayConfig.FROM);
        if ((from == null || from.isBlank()) && realmFrom != null) {
            values.put(GatewayConfig.FROM, realmFrom);
        }
        return values;
    }

    private static String realmFrom(KeycloakSession session, RealmModel realm) {
        try {
            return RealmSmsSettings.load(session, realm).get(GatewayConfig.FROM);
        } catch (InvalidSettingsException e) {
            return null;
        }
    }

    private static SmsGatewayFactory factory(KeycloakSessionFactory factories, String kind) {
        return (SmsGatewayFactory) factories.getProviderFactory(SmsGateway.class, kind);
    }
}
