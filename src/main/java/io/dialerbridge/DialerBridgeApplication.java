package io.dialerbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The dialer bridge: Camel routes between Salesforce streaming and the dialer's Kafka topics. */
@SpringBootApplication
public class DialerBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(DialerBridgeApplication.class, args);
    }
}
