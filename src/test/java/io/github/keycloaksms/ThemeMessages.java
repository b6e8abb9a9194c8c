package io.github.keycloaksms;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The extension's message bundles as the build packs them, read from themes/messages. */
public final class ThemeMessages {

    private ThemeMessages() {
    }

    /** @param language as in the file name: {@code en}, {@code pt_BR} */
    public static Properties of(String language) throws IOException {
        Properties properties = new Properties();
        Path file = Path.of("themes", "messages", "messages_" + language + ".properties");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
