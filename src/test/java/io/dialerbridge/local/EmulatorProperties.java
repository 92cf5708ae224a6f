package io.dialerbridge.local;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the Salesforce emulator that the {@code local} profile starts in-process ({@code emulator.*}). */
@ConfigurationProperties("emulator")
public class EmulatorProperties {

    /** Port of the emulated org (login URL and instance URL). */
    private int port = 8090;
    /**
     * Port of the emulated org's Pub/Sub API (gRPC over TLS, with a certificate this process trusts); unset, the port
     * after {@link #port} (8091), or a free one when {@code port} is 0.
     */
    private Integer pubSubPort;
    private String host = "127.0.0.1";
    /** How long an access token lives before the bridge must log in again. */
    private Duration tokenTimeToLive = Duration.ofHours(2);
    /** How long the Streaming API holds a long poll with nothing to send (Salesforce: 110 s). */
    private Duration longPollTimeout = Duration.ofSeconds(110);

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public Integer getPubSubPort() {
        return pubSubPort;
    }

    /** The Pub/Sub port to listen on: the one set, else next to the REST port, else (REST port 0) a free one. */
    public int effectivePubSubPort() {
        return pubSubPort != null ? pubSubPort : port == 0 ? 0 : port + 1;
    }

    public void setPubSubPort(Integer pubSubPort) {
        this.pubSubPort = pubSubPort;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Duration getLongPollTimeout() {
        return longPollTimeout;
    }

    public void setLongPollTimeout(Duration longPollTimeout) {
        this.longPollTimeout = longPollTimeout;
    }

    public Duration getTokenTimeToLive() {
        return tokenTimeToLive;
    }

    public void setTokenTimeToLive(Duration tokenTimeToLive) {
        this.tokenTimeToLive = tokenTimeToLive;
    }
}
