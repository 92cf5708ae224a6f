package io.dialerbridge.local;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the Kafka broker that the {@code local} profile runs in-process ({@code embedded-kafka.*}). */
@ConfigurationProperties("embedded-kafka")
public class EmbeddedKafkaProperties {

    /** Broker port; 9092 so that ordinary Kafka tools find it. */
    private int port = 9092;
    /** Where the broker keeps its log; kept across restarts so replay checkpoints survive. */
    private Path dataDirectory = Path.of("target", "local-kafka");

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public Path getDataDirectory() {
        return dataDirectory;
    }

    public void setDataDirectory(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }
}
