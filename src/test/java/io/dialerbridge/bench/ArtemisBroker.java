package io.dialerbridge.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The embedded Artemis broker the JMS tests use (persistent, security off, the journal under {@code target/}), here
 * in the harness JVM with a TCP acceptor on a free port, so that the bridge's own JVM reaches it as it reaches a
 * deployed broker. Every message gets the broker's arrival time ({@code _AMQ_INGRESS_TIMESTAMP}), the counterpart of
 * Kafka's LogAppendTime in the latencies.
 */
final class ArtemisBroker implements AutoCloseable {

    static final String INGRESS_TIMESTAMP = "_AMQ_INGRESS_TIMESTAMP";

    private final EmbeddedActiveMQ server;
    private final String url;

    private ArtemisBroker(EmbeddedActiveMQ server, String url) {
        this.server = server;
        this.url = url;
    }

    static ArtemisBroker start(Path dataDirectory) throws Exception {
        String url = "tcp://127.0.0.1:" + freePort();
        String data = dataDirectory.toAbsolutePath().toString();
        Configuration configuration = new ConfigurationImpl()
                .setSecurityEnabled(false)
                .setPersistenceEnabled(true)
                .setJournalDirectory(data + "/journal")
                .setBindingsDirectory(data + "/bindings")
                .setPagingDirectory(data + "/paging")
                .setLargeMessagesDirectory(data + "/largemessages")
                .addAcceptorConfiguration("tcp", url)
                .addAddressSetting("#", new AddressSettings().setEnableIngressTimestamp(true));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(configuration);
        server.start();
        return new ArtemisBroker(server, url);
    }

    /** The broker URL a client connects to ({@code tcp://127.0.0.1:<port>}). */
    String url() {
        return url;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
