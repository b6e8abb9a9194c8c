package io.github.keycloaksms.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import io.github.keycloaksms.config.ChannelChoice;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.SmsSendException;

/** The realm settings that name gateways: what they may name, and what is wrong when an admin saves them. */
public final class GatewaySettingsCheck {

    private GatewaySettingsCheck() {
    }

    /**
     * What the gateway settings may name, with what each is: the realm's named gateways (none when
     * {@code realm} is null), then the installed kinds.
     */
    public static Map<String, String> choices(KeycloakSessionFactory factories, RealmModel realm) {
        Map<String, String> kinds = kinds(factories(factories));
        Map<String, String> choices = new LinkedHashMap<>();
        if (realm != null) {
            GatewayInstances.all(realm).sorted(Comparator.comparing(gateway -> gateway.getName()))
                    .forEach(gateway -> choices.put(gateway.getName(),
                            kinds.getOrDefault(gateway.get(SmsSettings.GATEWAY_KIND.key()), "not installed") + ", this realm's"));
        }
        kinds.forEach(choices::putIfAbsent);
        return choices;
    }

    /**
     * The gateway settings' problems: a gateway must be chosen, each name must be one of the
     * choices, the fallback differ from the gateway, calls need a gateway that makes them; and each
     * installed kind's fields in the realm's settings must be right, and complete for a kind the
     * settings send through by its id.
     */
    public static List<InvalidSettingsException.Problem> problems(KeycloakSession session, RealmModel realm, SmsSettings settings) {
        List<InvalidSettingsException.Problem> problems = new ArrayList<>();
        String gateway = settings.gateway();
        String fallback = settings.fallbackGateway();
        if (gateway == null) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.GATEWAY.key(),
                    "choose the gateway that sends the codes (to turn SMS off, disable this required action)"));
        }
        requireKnown(session, realm, SmsSettings.GATEWAY.key(), gateway, problems);
        requireKnown(session, realm, SmsSettings.FALLBACK_GATEWAY.key(), fallback, problems);
        if (fallback != null && fallback.equals(gateway)) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.FALLBACK_GATEWAY.key(), "must differ from the SMS gateway"));
        }
        for (SmsGatewayFactory factory : factories(session.getKeycloakSessionFactory())) {
            boolean primary = sendsThroughKind(realm, gateway, factory);
            boolean asFallback = sendsThroughKind(realm, fallback, factory);
            boolean asChannel = settings.channels().stream().anyMatch(choice -> sendsThroughKind(realm, choice.gateway(), factory));
            try {
                factory.validate(RealmGatewayConfig.of(session, factory, settings.raw(), primary || asFallback || asChannel));
            } catch (InvalidSettingsException e) {
                // a gateway that refuses to be selected names the gateway field: as fallback, that is the fallback field
                e.problems().stream()
                        .map(p -> asFallback && !primary && p.key().equals(SmsSettings.GATEWAY.key())
                                ? InvalidSettingsException.Problem.of(SmsSettings.FALLBACK_GATEWAY.key(), p.message()) : p)
                        .forEach(problems::add);
            }
        }
        for (ChannelChoice choice : settings.channels()) {
            if (choice.gateway() != null) {
                channelProblem(session, realm, settings, choice)
                        .map(problem -> InvalidSettingsException.Problem.of(SmsSettings.CHANNELS.key(), problem))
                        .ifPresent(problems::add);
            }
        }
        Stream.concat(Stream.of(gateway, fallback), settings.channels().stream().map(ChannelChoice::gateway))
                .filter(name -> GatewayRouter.checksCodes(session, realm, name)).findFirst()
                .filter(checking -> settings.resetCodePolicy().codeLength() != settings.codePolicy().codeLength())
                .ifPresent(checking -> problems.add(InvalidSettingsException.Problem.of(SmsSettings.RESET_CODE_LENGTH.key(),
                        "must be the code length (" + settings.codePolicy().codeLength() + ") while the gateway '" + checking
                                + "' makes the codes itself: they all have the length its service sets")));
        if (settings.voiceEnabled() && gateway != null
                && GatewayInstances.kindOf(session.getKeycloakSessionFactory(), realm, gateway).isPresent()
                && !GatewayRouter.canCall(session, realm, gateway)) {
            problems.add(InvalidSettingsException.Problem.of(SmsSettings.VOICE_ENABLED.key(),
                    "the gateway '" + gateway + "' cannot make calls (twilio can)"));
        }
        return problems;
    }

    /** Why the gateway a channel names cannot carry it; empty when it can. */
    private static Optional<String> channelProblem(KeycloakSession session, RealmModel realm, SmsSettings settings, ChannelChoice choice) {
        GatewayInstances.Route route;
        try {
            route = GatewayInstances.route(session, realm, settings, choice.gateway());
        } catch (SmsSendException e) {
            return Optional.of("no SMS gateway '" + choice.gateway() + "' is installed or named in this realm");
        }
        return route.factory().cannotCarry(choice.channel(), RealmGatewayConfig.of(session, route.factory(), route.values(), true))
                .map(reason -> choice.channel() + "=" + choice.gateway() + ": the gateway (" + route.factory().getId() + ") " + reason);
    }

    /** True when the setting names the kind itself, not a named gateway: the kind's fields are then in the realm's settings. */
    private static boolean sendsThroughKind(RealmModel realm, String name, SmsGatewayFactory factory) {
        return factory.getId().equals(name) && GatewayInstances.named(realm, name).isEmpty();
    }

    private static void requireKnown(KeycloakSession session, RealmModel realm, String key, String name,
            List<InvalidSettingsException.Problem> problems) {
        if (name != null && GatewayInstances.kindOf(session.getKeycloakSessionFactory(), realm, name).isEmpty()) {
            problems.add(InvalidSettingsException.Problem.of(key, "no SMS gateway '" + name + "' is installed or named in this realm; "
                    + "choices: " + String.join(", ", choices(session.getKeycloakSessionFactory(), realm).keySet())));
        }
    }

    /** The installed gateway kinds. */
    static List<SmsGatewayFactory> factories(KeycloakSessionFactory factories) {
        return factories.getProviderFactoriesStream(SmsGateway.class).map(SmsGatewayFactory.class::cast).toList();
    }

    /** The kinds' names by id, in the order of their ids, as the admin console's lists explain them. */
    static Map<String, String> kinds(List<SmsGatewayFactory> factories) {
        Map<String, String> kinds = new TreeMap<>();
        factories.forEach(factory -> kinds.put(factory.getId(), factory.displayName()));
        return kinds;
    }
}
