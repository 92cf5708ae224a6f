package io.dialerbridge.command;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an operator sees of a resync while it runs: its progress every 10 s in the log, and on the scrape. */
class ResyncProgressTest {

    private static final String CONTACTS = "/data/ContactChangeEvent";

    private final AtomicLong nanos = new AtomicLong();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(ResyncProgress.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void capture() {
        lines.start();
        log.addAppender(lines);
        Metrics.addRegistry(meters);
        ResyncProgress.register();
    }

    @AfterEach
    void release() {
        log.detachAppender(lines);
        Metrics.removeRegistry(meters);
    }

    private void after(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private double gauge(String name) {
        return meters.get(name).tag("entity", "Contact").gauge().value();
    }

    @Test
    void logsRecordsReadRateAndWhatIsLeftEveryTenSeconds() {
        ResyncProgress progress = ResyncProgress.start(CONTACTS, "Contact", nanos::get);
        progress.query("live records", 5000);
        progress.read(2000);
        after(4);
        progress.read(2000);

        assertThat(gauge("dialer.resync.in.progress")).isEqualTo(1);
        assertThat(gauge("dialer.resync.remaining")).isEqualTo(1000);

        after(6);
        progress.read(1000);
        progress.query("deleted records", -1);
        after(10);
        progress.read(200);
        progress.finished();

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Resynchronising Contact on /data/ContactChangeEvent: reading every record again",
                "Resynchronising Contact on /data/ContactChangeEvent: 5000 live records read of 5000 (0 left),"
                        + " 500.0 records/s",
                "Resynchronising Contact on /data/ContactChangeEvent: 200 deleted records read, 20.0 records/s");
        assertThat(gauge("dialer.resync.in.progress")).isZero();
        assertThat(gauge("dialer.resync.remaining")).isZero();
    }
}
