package io.dialerbridge.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that shapes one emulated Salesforce org: where it listens, who may log in, how long tokens and
 * events live, and which platform events and generic channels exist.
 */
public final class EmulatorSettings {

    /** The org and the integration user every token belongs to. */
    private String orgId = "00D000000000001AAA";
    private String userId = "005000000000001AAA";

    private int port = 0;
    private String host = "127.0.0.1";
    /** Port of the Pub/Sub API (gRPC over TLS); 0 picks a free one. */
    private int pubSubPort = 0;
    /** How long a Subscribe stream with demand but no events waits before an empty keep-alive (Salesforce: 270 s). */
    private Duration pubSubKeepAliveInterval = Duration.ofSeconds(270);
    /** Whether starting adds the Pub/Sub certificate to this JVM's default trust (javax.net.ssl.trustStore). */
    private boolean pubSubTrustedByThisJvm = true;

    private String clientId = "dialer-bridge-local";
    private String clientSecret = "local-secret";
    private String username = "integration@dialer-bridge.local";
    private String password = "local-password";
    /** A refresh token the org accepts for the refresh_token grant (Salesforce issues these to web-server flows). */
    private String refreshToken = "local-refresh-token";
    /** PEM text of the X.509 certificate whose key signs JWT bearer assertions; null disables the JWT flow. */
    private String jwtCertificatePem;

    /**
     * The oldest API version the SOAP login answers: Salesforce retired 21.0 to 30.0 in Summer '25. EMP-Connector's
     * LoginHelper still asks for 22.0; a test that runs it unchanged lowers this.
     */
    private double oldestSoapApiVersion = 31.0;

    private Duration tokenTimeToLive = Duration.ofHours(2);
    /** PushTopic and generic channels keep events this long. */
    private Duration shortRetention = Duration.ofHours(24);
    /** CDC and platform event channels keep events this long. */
    private Duration longRetention = Duration.ofHours(72);
    /** How long a /meta/connect is held when nothing is to be sent. */
    private Duration longPollTimeout = Duration.ofMillis(110_000);
    /**
     * The most records one query page holds: Salesforce's 2,000, which a {@code Sforce-Query-Options: batchSize}
     * header can lower to 200. Tests set it lower still, to page through a handful of records.
     */
    private int queryBatchSize = 2_000;
    /** How long deleted records stay in the recycle bin, readable by queryAll (Salesforce: 15 days). */
    private Duration recycleBinRetention = Duration.ofDays(15);

    /** Platform event API name (ending in {@code __e}) to its custom field names and types. */
    private Map<String, Map<String, String>> platformEvents = new LinkedHashMap<>();
    /** Generic streaming channels, each starting with {@code /u/}. */
    private List<String> genericChannels = new ArrayList<>();

    private Clock clock = Clock.systemUTC();

    /** The org the product's local mode expects: the dialer's two platform events and its control channel. */
    public static EmulatorSettings dialerOrg() {
        EmulatorSettings settings = new EmulatorSettings();
        Map<String, String> command = new LinkedHashMap<>();
        for (String field : List.of("Command__c", "Campaign_Id__c", "Record_Id__c", "Dialing_Mode__c", "Profile__c",
                "Reason__c")) {
            command.put(field, "Text");
        }
        settings.platformEvents.put("Dialer_Command__e", command);
        Map<String, String> disposition = new LinkedHashMap<>();
        for (String field : List.of("Call_Id__c", "Record_Id__c", "Disposition__c", "Phone__c", "Campaign_Id__c",
                "Agent_Id__c")) {
            disposition.put(field, "Text");
        }
        disposition.put("Call_Started_At__c", "DateTime");
        disposition.put("Call_Ended_At__c", "DateTime");
        disposition.put("Duration_Seconds__c", "Number");
        disposition.put("Callback_At__c", "DateTime");
        disposition.put("Notes__c", "LongTextArea");
        settings.platformEvents.put("Call_Disposition__e", disposition);
        settings.genericChannels.add("/u/DialerControl");
        return settings;
    }

    public String orgId() { return orgId; }
    public EmulatorSettings orgId(String value) { orgId = value; return this; }
    public String userId() { return userId; }
    public EmulatorSettings userId(String value) { userId = value; return this; }
    public int port() { return port; }
    public EmulatorSettings port(int value) { port = value; return this; }
    public String host() { return host; }
    public EmulatorSettings host(String value) { host = value; return this; }
    public int pubSubPort() { return pubSubPort; }
    public EmulatorSettings pubSubPort(int value) { pubSubPort = value; return this; }
    public Duration pubSubKeepAliveInterval() { return pubSubKeepAliveInterval; }
    public EmulatorSettings pubSubKeepAliveInterval(Duration value) { pubSubKeepAliveInterval = value; return this; }
    public boolean pubSubTrustedByThisJvm() { return pubSubTrustedByThisJvm; }
    public EmulatorSettings pubSubTrustedByThisJvm(boolean value) { pubSubTrustedByThisJvm = value; return this; }
    public String clientId() { return clientId; }
    public EmulatorSettings clientId(String value) { clientId = value; return this; }
    public String clientSecret() { return clientSecret; }
    public EmulatorSettings clientSecret(String value) { clientSecret = value; return this; }
    public String username() { return username; }
    public EmulatorSettings username(String value) { username = value; return this; }
    public String password() { return password; }
    public EmulatorSettings password(String value) { password = value; return this; }
    public String refreshToken() { return refreshToken; }
    public EmulatorSettings refreshToken(String value) { refreshToken = value; return this; }
    public String jwtCertificatePem() { return jwtCertificatePem; }
    public EmulatorSettings jwtCertificatePem(String value) { jwtCertificatePem = value; return this; }
    public double oldestSoapApiVersion() { return oldestSoapApiVersion; }
    public EmulatorSettings oldestSoapApiVersion(double value) { oldestSoapApiVersion = value; return this; }
    public Duration tokenTimeToLive() { return tokenTimeToLive; }
    public EmulatorSettings tokenTimeToLive(Duration value) { tokenTimeToLive = value; return this; }
    public Duration shortRetention() { return shortRetention; }
    public EmulatorSettings shortRetention(Duration value) { shortRetention = value; return this; }
    public Duration longRetention() { return longRetention; }
    public EmulatorSettings longRetention(Duration value) { longRetention = value; return this; }
    public Duration longPollTimeout() { return longPollTimeout; }
    public EmulatorSettings longPollTimeout(Duration value) { longPollTimeout = value; return this; }
    public int queryBatchSize() { return queryBatchSize; }
    public EmulatorSettings queryBatchSize(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("queryBatchSize must be positive: " + value);
        }
        queryBatchSize = value;
        return this;
    }
    public Duration recycleBinRetention() { return recycleBinRetention; }
    public EmulatorSettings recycleBinRetention(Duration value) { recycleBinRetention = value; return this; }
    public Map<String, Map<String, String>> platformEvents() { return platformEvents; }
    public EmulatorSettings platformEvent(String name, Map<String, String> fields) {
        platformEvents.put(name, new LinkedHashMap<>(fields));
        return this;
    }
    public List<String> genericChannels() { return genericChannels; }
    public EmulatorSettings genericChannel(String name) { genericChannels.add(name); return this; }
    public Clock clock() { return clock; }
    public EmulatorSettings clock(Clock value) { clock = value; return this; }
}
