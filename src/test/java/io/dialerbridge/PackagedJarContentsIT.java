package io.dialerbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production jar holds the bridge and its clients only: none of the local machinery that lives under src/test
 * (the Salesforce emulator, local mode, demo traffic) and none of the servers they run (Kafka broker, CometD server,
 * Artemis broker).
 */
class PackagedJarContentsIT {

    private static List<String> entries;

    @BeforeAll
    static void listTheJar() throws IOException {
        Path jar = Path.of(System.getProperty("dialer.jar"));
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = Collections.list(file.entries()).stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void holdsTheBridgeAndItsKafkaClient() {
        assertThat(entries).contains("BOOT-INF/classes/io/dialerbridge/DialerBridgeApplication.class",
                "BOOT-INF/classes/application.yaml");
        assertThat(entries).anyMatch(entry -> entry.startsWith("BOOT-INF/lib/kafka-clients-"));
        assertThat(entries).anyMatch(entry -> entry.startsWith("BOOT-INF/lib/camel-salesforce-"));
    }

    @Test
    void holdsNoEmulatorOrLocalModeClasses() {
        assertThat(entries).noneMatch(entry -> entry.startsWith("BOOT-INF/classes/io/dialerbridge/emulator/")
                || entry.startsWith("BOOT-INF/classes/io/dialerbridge/local/")
                || entry.contains("TestDialerBridgeApplication"));
    }

    @Test
    void holdsNoKafkaBrokerCometdServerOrArtemisServer() {
        assertThat(entries.stream().filter(entry -> entry.startsWith("BOOT-INF/lib/"))
                .map(entry -> entry.substring("BOOT-INF/lib/".length())))
                .noneMatch(lib -> lib.startsWith("kafka_2.13-") || lib.startsWith("kafka-server-")
                        || lib.startsWith("kafka-metadata-") || lib.startsWith("kafka-raft-")
                        || lib.startsWith("kafka-storage-") || lib.startsWith("scala-library-")
                        || lib.startsWith("cometd-java-server-") || lib.startsWith("artemis-server-")
                        || lib.startsWith("artemis-jakarta-server-"));
    }
}
