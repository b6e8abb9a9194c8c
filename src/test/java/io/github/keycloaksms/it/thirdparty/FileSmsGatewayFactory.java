package io.github.keycloaksms.it.thirdparty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.keycloaksms.gateway.SmsGateway;
import io.github.keycloaksms.gateway.SmsGatewayFactory;
import io.github.keycloaksms.gateway.SmsSendException;

/**
 * A third party's gateway, deployed in a JAR of its own: appends each SMS as a line
 * "number code" to a file named in its own setting.
 */
public class FileSmsGatewayFactory implements SmsGatewayFactory {

    static final String FILE = "fileGatewayPath";
    /** The path that makes this gateway fail as a buggy one would, with an unchecked exception. */
    static final String CRASH = "crash";

    @Override
    public SmsGateway create(KeycloakSession session) {
        return (message, config) -> {
            String file = config.get(FILE);
            if (file == null) {
                throw SmsSendException.notConfigured("fileGatewayPath is not set");
            }
            if (file.equals(CRASH)) {
                throw new IllegalStateException("a bug, while sending to " + message.to().e164());
            }
            try {
                // what it can see of another gateway's secret (nothing, if the SPI keeps its promise)
                String seen = config.get("twilioAuthToken") == null ? "" : " saw-" + config.get("twilioAuthToken");
                Files.writeString(Path.of(file), message.to().e164() + " " + message.code() + seen + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new SmsSendException(SmsSendException.Kind.TRANSIENT, SmsSendException.USER_MESSAGE_UNAVAILABLE,
                        "cannot write to " + file);
            }
        };
    }

    @Override
    public String getId() {
        return "file";
    }

    @Override
    public String getHelpText() {
        return "Test gateway: appends each SMS to a file.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(FILE).label("File").helpText("File gateway: where each SMS is appended.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }
}
