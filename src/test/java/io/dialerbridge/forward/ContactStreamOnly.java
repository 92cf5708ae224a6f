package io.dialerbridge.forward;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Only the contact-cdc stream runs, and a failed Kafka publish is retried after 20 ms: the settings of the forward
 * flow's tests that follow one channel.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestPropertySource(properties = {
    "dialer.kafka.retry-delay-ms=20",
    "dialer.streams.lead-pushtopic.enabled=false",
    "dialer.streams.campaign-member-cdc.enabled=false",
    "dialer.streams.dialer-control-generic.enabled=false",
    "dialer.streams.dialer-command-events.enabled=false"
})
@interface ContactStreamOnly {
}
