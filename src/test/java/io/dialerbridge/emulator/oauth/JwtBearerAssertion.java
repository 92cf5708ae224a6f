package io.dialerbridge.emulator.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/**
 * A JWT bearer assertion as Salesforce's jwt-bearer grant receives it: an RS256-signed set of claims naming the
 * connected app, the user and the login server.
 */
final class JwtBearerAssertion {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] signingInput;
    private final byte[] signature;
    private final JsonNode claims;

    private JwtBearerAssertion(byte[] signingInput, byte[] signature, JsonNode claims) {
        this.signingInput = signingInput;
        this.signature = signature;
        this.claims = claims;
    }

    /** Splits and decodes an assertion; anything that is not a three-part RS256 JWT of JSON objects is refused. */
    static JwtBearerAssertion parse(String assertion) throws OAuthFailure {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            throw OAuthFailure.invalidGrant("invalid assertion");
        }
        try {
            // Java's url decoder takes base64url with or without '=' padding, and camel sends it padded.
            Base64.Decoder decoder = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(decoder.decode(parts[0]));
            JsonNode claims = JSON.readTree(decoder.decode(parts[1]));
            byte[] signature = decoder.decode(parts[2]);
            if (header == null || !header.isObject() || claims == null || !claims.isObject()
                    || !"RS256".equals(header.path("alg").asText())) {
                throw OAuthFailure.invalidGrant("invalid assertion");
            }
            // The signature covers the parts exactly as sent, padding included.
            byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return new JwtBearerAssertion(signingInput, signature, claims);
        } catch (IllegalArgumentException | IOException e) {
            throw OAuthFailure.invalidGrant("invalid assertion");
        }
    }

    /** The public key of an X.509 certificate given as PEM text. */
    static PublicKey publicKeyOf(String certificatePem) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        return factory.generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)))
                .getPublicKey();
    }

    boolean isSignedBy(PublicKey key) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    Optional<String> issuer() {
        return text("iss");
    }

    Optional<String> subject() {
        return text("sub");
    }

    /** Whether {@code aud}, a string or (as RFC 7519 allows) an array of strings, names one of the given servers. */
    boolean isAddressedToAnyOf(Collection<String> audiences) {
        JsonNode aud = claims.path("aud");
        if (aud.isTextual()) {
            return audiences.contains(withoutTrailingSlash(aud.asText()));
        }
        if (aud.isArray()) {
            for (JsonNode each : aud) {
                if (each.isTextual() && audiences.contains(withoutTrailingSlash(each.asText()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The {@code exp} claim, which camel sends as a JSON string of epoch seconds and other clients as a number. */
    Optional<Instant> expiry() {
        JsonNode exp = claims.path("exp");
        if (exp.isIntegralNumber() && exp.canConvertToLong()) {
            return Optional.of(Instant.ofEpochSecond(exp.longValue()));
        }
        if (exp.isTextual()) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(exp.asText().strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Optional<String> text(String claim) {
        JsonNode value = claims.path(claim);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
