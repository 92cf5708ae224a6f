package io.dialerbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.local.demo.DemoCrm;
import io.dialerbridge.local.demo.DemoDialer;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as a deployment runs it, in production mode, against an emulated org and a broker that this test
 * starts: the demo's CRM and dialer run the whole loop, from a change in the org to a command on Kafka to a
 * disposition published back into the org.
 */
class PackagedBridgeIT {

    private static final String API_KEY = "packaged-bridge-api-key-0001";

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private DemoDialer dialer;
    private ScheduledExecutorService crm;
    private Process bridge;
    private Path output;

    @BeforeEach
    void startTheOrgAndTheBroker() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (crm != null) {
            crm.shutdownNow();
        }
        if (dialer != null) {
            dialer.close();
        }
        if (bridge != null) {
            bridge.destroy();
            if (!bridge.waitFor(60, TimeUnit.SECONDS)) {
                bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        broker.close();
        emulator.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theWholeLoopRunsFromTheCrmToTheDialerAndBackToSalesforce() throws Exception {
        Path jar = Path.of(System.getProperty("dialer.jar"));
        assertThat(jar).exists();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString(), "--server.port=" + port));
        command.addAll(ProductionArguments.against(emulator, broker, API_KEY));
        output = Files.createTempFile("dialer-bridge-packaged", ".log");
        bridge = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();

        dialer = new DemoDialer(broker.bootstrapServers(), List.of("dialer.contact-commands",
                "dialer.campaign-control"), URI.create("http://127.0.0.1:" + port + "/api/v1/dispositions"), API_KEY);
        Thread dialing = new Thread(dialer, "packaged-it-dialer");
        dialing.setDaemon(true);
        dialing.start();
        DemoCrm org = new DemoCrm(emulator);
        crm = Executors.newSingleThreadScheduledExecutor();
        crm.scheduleWithFixedDelay(org::act, 300, 300, TimeUnit.MILLISECONDS);

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!bridge.isAlive()) {
                throw new AssertionError("the bridge exited with " + bridge.exitValue() + ":\n"
                        + Files.readString(output));
            }
            return dialer.commandCount() > 0 && dispositionsInTheOrg() > 0;
        });

        String log = Files.readString(output);
        assertThat(log).contains("Started DialerBridgeApplication");
        assertThat(List.of(log.split("\n"))).noneMatch(line -> line.contains(" ERROR "));
    }

    private long dispositionsInTheOrg() {
        return emulator.bus().eventsAfter("/event/Call_Disposition__e", 0, Integer.MAX_VALUE).size();
    }
}
