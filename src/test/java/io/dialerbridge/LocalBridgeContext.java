package io.dialerbridge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * A Spring integration test of the whole bridge in local mode, on a free port for the emulator and the embedded Kafka
 * broker, without demo traffic or route reloading.
 *
 * <p>One set of settings for every such test, so that tests adding the same settings (with {@code
 * @TestPropertySource}) and the same {@code @Import}ed configuration share Spring's cached context, and with it one
 * emulator and one broker, instead of starting their own. The data directory's {@code ${random.uuid}} is resolved
 * when a context starts, so it does not split the cache.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = {
    "spring.profiles.active=local",
    "demo.enabled=false",
    "emulator.port=0",
    "embedded-kafka.port=0",
    "embedded-kafka.data-directory=target/test-kafka/${random.uuid}",
    "camel.main.routes-reload-enabled=false",
    "server.port=0"
})
public @interface LocalBridgeContext {

    /** The web environment, a mock one unless a test needs a real HTTP port. */
    @AliasFor(annotation = SpringBootTest.class)
    SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.MOCK;
}
