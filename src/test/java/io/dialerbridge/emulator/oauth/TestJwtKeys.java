package io.dialerbridge.emulator.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away RSA key pair and self-signed certificate in a PKCS12 keystore, for tests of the JWT bearer flow: the
 * keystore file is what camel-salesforce signs with, the PEM certificate is what the emulator verifies with.
 */
public final class TestJwtKeys {

    public static final String ALIAS = "dialer-bridge-test";
    public static final String PASSWORD = "changeit-test-only";

    private final Path keystore;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private TestJwtKeys(Path keystore, PrivateKey privateKey, X509Certificate certificate) {
        this.keystore = keystore;
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * Generates a 2048-bit key pair with the JDK's keytool into {@code directory}/jwt.p12; keytool rather than code
     * because the JDK has no public API for building a self-signed certificate.
     */
    public static TestJwtKeys generate(Path directory) throws IOException, InterruptedException, GeneralSecurityException {
        Path keystore = directory.resolve("jwt.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "2",
                "-dname", "CN=dialer-bridge-test", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(ALIAS, PASSWORD.toCharArray());
        X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
        return new TestJwtKeys(keystore, key, certificate);
    }

    /** The PKCS12 file holding the single key entry, protected by {@link #PASSWORD}. */
    public Path keystore() {
        return keystore;
    }

    public String password() {
        return PASSWORD;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as PEM text, the form a connected app's certificate is uploaded in. */
    public String certificatePem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A signed JWT over the given header and claims JSON, encoded the way camel encodes it: base64url with padding.
     */
    public String assertion(String headerJson, String claimsJson) {
        Base64.Encoder encoder = Base64.getUrlEncoder();
        String signingInput = encoder.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + encoder.encodeToString(sign(signingInput));
    }

    /** An RS256 signature of the text with this key. */
    public byte[] sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
