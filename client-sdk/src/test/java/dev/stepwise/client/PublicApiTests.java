package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API of {@code dev.stepwise.client} names no Jackson type, so users never depend on one. */
class PublicApiTests {

    @Test
    void publicSignaturesNameNoJacksonType() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(Stepwise.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/stepwise/client");
        List<String> offending = new ArrayList<>();
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                types.add(Class.forName("dev.stepwise.client." + name, false, getClass().getClassLoader()));
            }
        }
        for (Class<?> type : types) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            List<String> signatures = new ArrayList<>();
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                    signatures.add(m.toGenericString());
                }
            }
            for (Executable c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                    signatures.add(c.toGenericString());
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    signatures.add(f.toGenericString());
                }
            }
            signatures.stream().filter(s -> s.contains("jackson")).forEach(offending::add);
        }
        assertThat(types).hasSizeGreaterThan(10);
        assertThat(offending).isEmpty();
    }
}
