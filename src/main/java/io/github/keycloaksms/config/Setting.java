package io.github.keycloaksms.config;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * One realm setting as admins see it and the code reads it: its key, label, help, kind, default
 * and range. Parsing ({@link SmsSettings#parse}), the admin console's form and the range in its
 * help all come from here; a test holds the settings table in the docs to the same.
 */
public final class Setting {

    /** What kind of value a setting takes. */
    public enum Kind {
        /** Free text. */
        TEXT,
        /** A whole number within the setting's range. */
        NUMBER,
        /** A whole number within the range, offered as a list of choices. */
        NUMBER_CHOICE,
        /** {@code true} or {@code false}. */
        SWITCH,
        /** One of the installed gateways. */
        GATEWAY,
        /** An ISO 3166 region code. */
        REGION,
        /** Several ISO 3166 region codes. */
        REGIONS,
        /** The channels codes may go by, in order. */
        CHANNELS,
        /** The name of a user-profile attribute. */
        ATTRIBUTE,
        /** One of a few fixed words. */
        WORD
    }

    private final String key;
    private final String label;
    private final String help;
    private final Kind kind;
    private final String defaultValue;
    private final int min;
    private final int max;
    private final List<String> words;

    private Setting(String key, String label, String help, Kind kind, String defaultValue, int min, int max) {
        this(key, label, help, kind, defaultValue, min, max, List.of());
    }

    private Setting(String key, String label, String help, Kind kind, String defaultValue, int min, int max, List<String> words) {
        this.words = words;
        this.key = key;
        this.label = label;
        this.help = help;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
    }

    static Setting of(String key, String label, String help, Kind kind) {
        return of(key, label, help, kind, null);
    }

    static Setting of(String key, String label, String help, Kind kind, String defaultValue) {
        return new Setting(key, label, help, kind, defaultValue, 0, 0);
    }

    static Setting number(String key, String label, String help, int defaultValue, int min, int max) {
        return new Setting(key, label, help, Kind.NUMBER, String.valueOf(defaultValue), min, max);
    }

    static Setting numberChoice(String key, String label, String help, int defaultValue, int min, int max) {
        return new Setting(key, label, help, Kind.NUMBER_CHOICE, String.valueOf(defaultValue), min, max);
    }

    static Setting onOff(String key, String label, String help, boolean defaultValue) {
        return new Setting(key, label, help, Kind.SWITCH, String.valueOf(defaultValue), 0, 0);
    }

    static Setting word(String key, String label, String help, String defaultValue, List<String> words) {
        return new Setting(key, label, help, Kind.WORD, defaultValue, 0, 0, words);
    }

    /** The words a {@link Kind#WORD} setting may be. */
    public List<String> words() {
        return words;
    }

    static Setting gateway(String key, String label, String help, String defaultValue) {
        return new Setting(key, label, help, Kind.GATEWAY, defaultValue, 0, 0);
    }

    public String key() {
        return key;
    }

    /** The help text, with the range where the setting has one. */
    public String help() {
        return hasRange() ? help + " From " + min + " to " + max + "." : help;
    }

    /** The value when none is set; null when the setting has none. */
    public String defaultValue() {
        return defaultValue;
    }

    public boolean hasRange() {
        return kind == Kind.NUMBER || kind == Kind.NUMBER_CHOICE;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    int defaultNumber() {
        return Integer.parseInt(defaultValue);
    }

    /**
     * The field in the admin console; where the setting names a gateway, {@code gatewayChoices} (ids
     * in order, with their names) are offered, and since the console shows a list's values as they
     * are, the help says what each id names.
     */
    public ProviderConfigProperty property(Map<String, String> gatewayChoices) {
        Object typedDefault = defaultValue == null ? null : switch (kind) {
            case NUMBER -> Integer.valueOf(defaultValue);
            case SWITCH -> Boolean.valueOf(defaultValue);
            // a list field starts empty, which means its default
            case CHANNELS -> null;
            default -> defaultValue;
        };
        String help = kind != Kind.GATEWAY ? help() : help() + " Choices: " + gatewayChoices.entrySet().stream()
                .map(choice -> choice.getKey() + " = " + choice.getValue()).collect(Collectors.joining("; ")) + ".";
        ProviderConfigProperty property = new ProviderConfigProperty(key, label, help, type(), typedDefault);
        if (kind == Kind.GATEWAY) {
            property.setOptions(List.copyOf(gatewayChoices.keySet()));
        } else if (kind == Kind.NUMBER_CHOICE) {
            property.setOptions(IntStream.rangeClosed(min, max).mapToObj(String::valueOf).toList());
        } else if (kind == Kind.WORD) {
            property.setOptions(words);
        }
        return property;
    }

    private String type() {
        return switch (kind) {
            case TEXT, REGION, ATTRIBUTE -> ProviderConfigProperty.STRING_TYPE;
            case NUMBER -> ProviderConfigProperty.INTEGER_TYPE;
            case NUMBER_CHOICE, GATEWAY, WORD -> ProviderConfigProperty.LIST_TYPE;
            case SWITCH -> ProviderConfigProperty.BOOLEAN_TYPE;
            case REGIONS, CHANNELS -> ProviderConfigProperty.MULTIVALUED_STRING_TYPE;
        };
    }
}
