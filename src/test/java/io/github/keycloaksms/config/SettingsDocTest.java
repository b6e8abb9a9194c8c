package io.github.keycloaksms.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaksms.gateway.SmsGatewayFactory;

/** The settings tables in docs/settings.md say what the code does: the same keys, defaults and ranges. */
class SettingsDocTest {

    private static final Path DOC = Path.of("docs", "settings.md");

    @Test
    void theRealmSettingsTableListsEverySettingWithItsDefaultAndRange() throws IOException {
        Map<String, String> documented = rows("## Realm settings", 2, 3);
        Map<String, String> described = SmsSettings.ALL.stream().collect(Collectors.toMap(Setting::key,
                setting -> shown(setting.defaultValue()) + " | " + (setting.hasRange() ? setting.min() + " to " + setting.max() : ""),
                (a, b) -> a, LinkedHashMap::new));
        assertEquals(described, documented);
    }

    @Test
    void theGatewaySettingsTableListsEveryBuiltInGatewaysKeysWithTheirDefaults() throws IOException {
        Map<String, String> documented = rows("## Gateway settings", 3);
        // the gateways the JAR registers, in the order of the table
        List<String> order = List.of("twilio", "twilio-verify", "sns", "webhook", "telegram", "whatsapp", "log");
        Map<String, String> declared = ServiceLoader.load(SmsGatewayFactory.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(factory -> order.indexOf(factory.getId())))
                .map(SmsGatewayFactory::getConfigProperties).flatMap(List::stream)
                .collect(Collectors.toMap(ProviderConfigProperty::getName,
                        property -> shown(property.getDefaultValue() == null ? null : String.valueOf(property.getDefaultValue())),
                        (a, b) -> a, LinkedHashMap::new));
        assertEquals(declared, documented);
    }

    /** How a table shows a default: the value in backticks, or "none" (perhaps followed by what that means). */
    private static String shown(String defaultValue) {
        return defaultValue == null ? "none" : "`" + defaultValue + "`";
    }

    /** The table under {@code heading}: each row's key, and its cells {@code columns} joined by " | ", "none: ..." cut to "none". */
    private static Map<String, String> rows(String heading, int... columns) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        Map<String, String> rows = new LinkedHashMap<>();
        lines.stream().dropWhile(line -> !line.equals(heading)).skip(1)
                .dropWhile(line -> !line.startsWith("|")).skip(2)
                .takeWhile(line -> line.startsWith("|"))
                .forEach(line -> {
                    String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
                    String key = cells[0].strip().replace("`", "");
                    rows.put(key, Arrays.stream(columns).mapToObj(column -> cells[column].strip())
                            .map(cell -> cell.startsWith("none") ? "none" : cell)
                            .collect(Collectors.joining(" | ")));
                });
        return rows;
    }
}
