package io.github.keycloaksms.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.github.keycloaksms.it.thirdparty.FileSmsGatewayFactory;

/** Packs the test's third-party gateway into a JAR of its own, as another vendor would ship it. */
final class ThirdPartyJar {

    private ThirdPartyJar() {
    }

    static void write(Path target) throws IOException {
        String packagePath = FileSmsGatewayFactory.class.getPackageName().replace('.', '/');
        Path classes = Path.of("target", "test-classes");
        List<Path> files;
        try (Stream<Path> found = Files.list(classes.resolve(packagePath))) {
            files = found.filter(p -> p.toString().endsWith(".class")).toList();
        }
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out)) {
            for (Path file : files) {
                jar.putNextEntry(new JarEntry(packagePath + "/" + file.getFileName()));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/io.github.keycloaksms.gateway.SmsGatewayFactory"));
            jar.write((FileSmsGatewayFactory.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }
}
