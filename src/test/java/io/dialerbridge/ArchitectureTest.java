package io.dialerbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Local-only machinery (the emulator, the embedded broker, demo traffic) stays out of the product's code. */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/io/dialerbridge");

    @Test
    void productCodeNeverImportsTheEmulatorOrLocalMachinery() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.startsWith(SOURCES.resolve("emulator")))
                    .filter(file -> !file.startsWith(SOURCES.resolve("local")))
                    .filter(ArchitectureTest::importsLocalMachinery)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theEmulatorDoesNotDependOnLocalModeWiring() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("emulator"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> read(file).contains("import io.dialerbridge.local."))
                    .toList()).isEmpty();
        }
    }

    private static boolean importsLocalMachinery(Path file) {
        String source = read(file);
        return source.contains("io.dialerbridge.emulator") || source.contains("io.dialerbridge.local");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
