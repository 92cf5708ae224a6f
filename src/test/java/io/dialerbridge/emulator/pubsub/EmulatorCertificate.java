package io.dialerbridge.emulator.pubsub;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TLS identity of the emulator's Pub/Sub endpoint: a self-signed certificate made at start for the host it
 * listens on (and {@code localhost}, {@code 127.0.0.1}, {@code ::1}), and one trust store per JVM that holds every
 * such certificate on top of the trust the JVM already had. A client that trusts that store through
 * {@code javax.net.ssl.trustStore} reaches the emulator the way production reaches {@code api.pubsub.salesforce.com}:
 * camel's default gRPC channel, TLS with the JVM's trust, host name checked.
 */
public final class EmulatorCertificate {

    /** The trust store's password: it guards nothing secret, only certificates. */
    public static final String TRUST_STORE_PASSWORD = "emulator";
    public static final String TRUST_STORE_TYPE = "PKCS12";

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Map<String, EmulatorCertificate> ISSUED = new LinkedHashMap<>();
    private static Path trustStore;
    /** The trust the JVM had before the first emulator certificate was added to it. */
    private static KeyStore jvmTrust;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private EmulatorCertificate(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * The certificate for a host, made once per JVM and host, and added to {@link #trustStore()}.
     */
    public static synchronized EmulatorCertificate forHost(String host) {
        EmulatorCertificate issued = ISSUED.get(host);
        if (issued == null) {
            try {
                issued = generate(host);
                ISSUED.put(host, issued);
                writeTrustStore();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot make the emulator's TLS certificate", e);
            }
        }
        return issued;
    }

    /** A PKCS12 trust store (password {@link #TRUST_STORE_PASSWORD}): the JVM's prior trust plus every emulator. */
    public static synchronized Path trustStore() {
        if (trustStore == null) {
            throw new IllegalStateException("no emulator certificate has been made yet");
        }
        return trustStore;
    }

    /**
     * Makes this JVM's default TLS trust the emulator's certificates (and everything it trusted before), by pointing
     * {@code javax.net.ssl.trustStore} at {@link #trustStore()}. Every TLS context created afterwards without its own
     * trust managers (a gRPC channel's among them) uses it.
     */
    public static synchronized void trustInThisJvm() {
        Path store = trustStore();
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", TRUST_STORE_TYPE);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate in PEM, for clients that take a CA file (grpcurl {@code -cacert}, Python's grpc). */
    public String pem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the certificate as PEM to a file, for clients that take a CA file. */
    public void writePem(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(pem().getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static EmulatorCertificate generate(String host) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] ecdsaWithSha256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
        byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"),
                Der.utf8("dialer-bridge Salesforce emulator"))));
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7f;
        Instant now = Instant.now();
        byte[] validity = Der.sequence(Der.utcTime(now.minus(Duration.ofDays(1))), Der.utcTime(now.plus(VALIDITY)));
        byte[] extensions = Der.explicit(3, Der.sequence(
                Der.sequence(Der.oid("2.5.29.17"), Der.octetString(subjectAlternativeNames(host))),
                Der.sequence(Der.oid("2.5.29.19"), Der.octetString(Der.sequence()))));
        byte[] toBeSigned = Der.sequence(Der.explicit(0, Der.integer(new byte[] {2})), Der.integer(serial),
                ecdsaWithSha256, name, validity, name, keys.getPublic().getEncoded(), extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(toBeSigned);
        byte[] encoded = Der.sequence(toBeSigned, ecdsaWithSha256, Der.bitString(signer.sign()));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
        certificate.verify(keys.getPublic());
        return new EmulatorCertificate(keys.getPrivate(), certificate);
    }

    private static byte[] subjectAlternativeNames(String host) throws UnknownHostException {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        names.add(host);
        List<byte[]> entries = new ArrayList<>();
        for (String name : names) {
            if (isIpLiteral(name)) {
                entries.add(Der.tagged(0x87, InetAddress.getByName(name).getAddress()));
            } else if (!name.isBlank()) {
                entries.add(Der.tagged(0x82, name.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return Der.sequence(entries.toArray(byte[][]::new));
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static void writeTrustStore() throws GeneralSecurityException, IOException {
        if (jvmTrust == null) {
            jvmTrust = currentJvmTrust();
        }
        KeyStore store = KeyStore.getInstance(TRUST_STORE_TYPE);
        store.load(null, null);
        for (String alias : Collections.list(jvmTrust.aliases())) {
            Certificate trusted = jvmTrust.getCertificate(alias);
            if (jvmTrust.isCertificateEntry(alias) && trusted != null) {
                store.setCertificateEntry(alias, trusted);
            }
        }
        int n = 0;
        for (EmulatorCertificate issued : ISSUED.values()) {
            store.setCertificateEntry("dialer-bridge-emulator-" + n++, issued.certificate);
        }
        if (trustStore == null) {
            trustStore = Files.createTempFile("salesforce-emulator-trust", ".p12");
            trustStore.toFile().deleteOnExit();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, TRUST_STORE_PASSWORD.toCharArray());
        Path written = Files.createTempFile(trustStore.getParent(), "salesforce-emulator-trust", ".tmp");
        Files.write(written, bytes.toByteArray());
        Files.move(written, trustStore, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The trust store the JVM uses now: the one {@code javax.net.ssl.trustStore} names, else the JDK's cacerts. */
    private static KeyStore currentJvmTrust() throws GeneralSecurityException, IOException {
        String configured = System.getProperty("javax.net.ssl.trustStore");
        Path path = configured != null && !configured.isBlank() && !"NONE".equals(configured)
                ? Path.of(configured)
                : Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        String type = System.getProperty("javax.net.ssl.trustStoreType", KeyStore.getDefaultType());
        String password = System.getProperty("javax.net.ssl.trustStorePassword");
        KeyStore store = KeyStore.getInstance(configured != null ? type : KeyStore.getDefaultType());
        if (Files.isReadable(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password == null ? null : password.toCharArray());
            }
        } else {
            store.load(null, null);
        }
        return store;
    }

    /** Just enough DER to write one X.509 v3 certificate. */
    private static final class Der {

        static byte[] sequence(byte[]... parts) {
            return tagged(0x30, concat(parts));
        }

        static byte[] set(byte[]... parts) {
            return tagged(0x31, concat(parts));
        }

        static byte[] explicit(int number, byte[] content) {
            return tagged(0xa0 | number, content);
        }

        static byte[] integer(byte[] value) {
            return tagged(0x02, value);
        }

        static byte[] octetString(byte[] value) {
            return tagged(0x04, value);
        }

        static byte[] bitString(byte[] value) {
            return tagged(0x03, concat(new byte[] {0}, value));
        }

        static byte[] utf8(String value) {
            return tagged(0x0c, value.getBytes(StandardCharsets.UTF_8));
        }

        static byte[] utcTime(Instant instant) {
            return tagged(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
        }

        static byte[] oid(String dotted) {
            String[] arcs = dotted.split("\\.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
            for (int i = 2; i < arcs.length; i++) {
                long arc = Long.parseLong(arcs[i]);
                int groups = 1;
                while ((arc >> (7 * groups)) != 0) {
                    groups++;
                }
                for (int g = groups - 1; g >= 0; g--) {
                    int bits = (int) ((arc >> (7 * g)) & 0x7f);
                    out.write(g == 0 ? bits : bits | 0x80);
                }
            }
            return tagged(0x06, out.toByteArray());
        }

        static byte[] tagged(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int length = content.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                out.writeBytes(part);
            }
            return out.toByteArray();
        }
    }
}
