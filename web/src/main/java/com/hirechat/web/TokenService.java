package com.hirechat.web;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Checks the bearer tokens the host site signs (see docs/security.md): exactly one algorithm per configured key
 * (HS256 for a shared secret, RS256 for an RSA public key, ES256 for a P-256 public key), so {@code none} and
 * algorithm confusion are refused; {@code sub} and {@code exp} are required; {@code exp}/{@code nbf} allow 60 s
 * of clock skew; when configured, {@code iss} must be the host site and {@code aud} must name this service, so a
 * token the host site signed for another of its services is refused here. All of it by Nimbus JOSE+JWT, no
 * hand-rolled crypto.
 */
public final class TokenService {

    /**
     * Who must have issued a token and for whom; a null part is not checked (the local run, tests).
     *
     * @param issuer   the exact {@code iss} required
     * @param audience a value {@code aud} must contain
     */
    public record Issuance(String issuer, String audience) {

        /** Tokens are accepted whatever their issuer and audience. */
        public static final Issuance ANY = new Issuance(null, null);
    }

    /** Clock difference tolerated between the host site and this server. */
    public static final int MAX_CLOCK_SKEW_SECONDS = 60;
    /** Shortest HMAC secret accepted: HS256 needs 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final Duration MINTED_LIFETIME = Duration.ofHours(12);

    private final List<DefaultJWTProcessor<SecurityContext>> processors;
    private final byte[] mintingSecret;
    private final Issuance issuance;
    private final Clock clock;

    private TokenService(List<DefaultJWTProcessor<SecurityContext>> processors, byte[] mintingSecret,
                         Issuance issuance, Clock clock) {
        this.processors = List.copyOf(processors);
        this.mintingSecret = mintingSecret;
        this.issuance = issuance;
        this.clock = clock;
    }

    /** Accepts HS256 tokens signed with the shared secret, and can mint them (development login, tests). */
    public static TokenService hmac(byte[] secret) {
        return hmac(secret, Issuance.ANY);
    }

    /** As {@link #hmac(byte[])}, accepting only tokens of the given issuer and audience (and minting such). */
    public static TokenService hmac(byte[] secret, Issuance issuance) {
        requireStrong(secret);
        return new TokenService(List.of(processor(JWSAlgorithm.HS256, new ImmutableSecret<>(secret.clone()), issuance)),
                secret.clone(), issuance, Clock.systemUTC());
    }

    /** A secret nobody else knows, for the development login: its tokens die with the process. */
    public static TokenService withRandomSecret() {
        return withRandomSecret(Issuance.ANY);
    }

    /** As {@link #withRandomSecret()}; the development login's tokens then carry the issuer and audience checked. */
    public static TokenService withRandomSecret(Issuance issuance) {
        return hmac(randomSecret(), issuance);
    }

    /** A fresh random HS256 secret. */
    public static byte[] randomSecret() {
        var secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** Accepts tokens signed with the host site's private key: RS256 for RSA, ES256 for EC P-256. Cannot mint. */
    public static TokenService publicKey(PublicKey key) {
        return publicKey(key, Issuance.ANY);
    }

    /** As {@link #publicKey(PublicKey)}, accepting only tokens of the given issuer and audience. */
    public static TokenService publicKey(PublicKey key, Issuance issuance) {
        return new TokenService(List.of(publicKeyProcessor(key, issuance)), null, issuance, Clock.systemUTC());
    }

    /** Accepts the host site's RS256/ES256 tokens and HS256 tokens of the development login's secret. */
    public static TokenService publicKeyAndDevelopmentSecret(PublicKey key, byte[] developmentSecret) {
        return publicKeyAndDevelopmentSecret(key, developmentSecret, Issuance.ANY);
    }

    /** As {@link #publicKeyAndDevelopmentSecret(PublicKey, byte[])}, both checked for the issuer and audience. */
    public static TokenService publicKeyAndDevelopmentSecret(PublicKey key, byte[] developmentSecret,
                                                             Issuance issuance) {
        requireStrong(developmentSecret);
        var processors = new ArrayList<DefaultJWTProcessor<SecurityContext>>();
        processors.add(publicKeyProcessor(key, issuance));
        processors.add(processor(JWSAlgorithm.HS256, new ImmutableSecret<>(developmentSecret.clone()), issuance));
        return new TokenService(processors, developmentSecret.clone(), issuance, Clock.systemUTC());
    }

    private static void requireStrong(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("an HS256 secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
    }

    private static DefaultJWTProcessor<SecurityContext> publicKeyProcessor(PublicKey key, Issuance issuance) {
        if (key instanceof RSAPublicKey rsa) {
            return processor(JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder(rsa).build())),
                    issuance);
        }
        if (key instanceof ECPublicKey ec) {
            return processor(JWSAlgorithm.ES256,
                    new ImmutableJWKSet<>(new JWKSet(new ECKey.Builder(Curve.P_256, ec).build())), issuance);
        }
        throw new IllegalArgumentException("the public key must be RSA or EC P-256");
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWSAlgorithm algorithm,
                                                                  JWKSource<SecurityContext> keys, Issuance issuance) {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys));
        var required = new HashSet<>(Set.of("sub", "exp"));
        var exact = new JWTClaimsSet.Builder();
        if (issuance.issuer() != null) {
            required.add("iss");
            exact.issuer(issuance.issuer());
        }
        if (issuance.audience() != null) {
            required.add("aud");
        }
        // the audience, when given, must be among the token's aud values; the issuer must match exactly
        var claims = new DefaultJWTClaimsVerifier<SecurityContext>(issuance.audience(), exact.build(), required);
        claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    /** Whether this service holds a secret it can sign development tokens with. */
    public boolean canMint() {
        return mintingSecret != null;
    }

    /** A token for the user with the given roles, as the development login (or a test acting as host site) hands out. */
    public String mint(UserId user, Set<String> roles) {
        if (mintingSecret == null) {
            throw new IllegalStateException("no secret to sign tokens with");
        }
        var now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .subject(user.value())
                .claim("roles", List.copyOf(roles))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(MINTED_LIFETIME)));
        // tokens minted here (development login) must pass this service's own checks
        if (issuance.issuer() != null) {
            claims.issuer(issuance.issuer());
        }
        if (issuance.audience() != null) {
            claims.audience(issuance.audience());
        }
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(mintingSecret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Who a valid token names; empty for anything forged, expired, malformed, unsigned or of another algorithm. */
    public Optional<Principal> verify(String token) {
        for (var processor : processors) {
            try {
                return Optional.of(principal(processor.process(token, null)));
            } catch (ParseException | BadJOSEException | JOSEException | DomainRuleViolation e) {
                // not valid for this key: try the next, if any
            }
        }
        return Optional.empty();
    }

    private static Principal principal(JWTClaimsSet claims) throws ParseException {
        var roles = new HashSet<String>();
        roles.add(Principal.USER);
        var claimed = claims.getStringListClaim("roles");
        if (claimed != null) {
            roles.addAll(claimed);
        }
        return new Principal(UserId.of(claims.getSubject()), roles);
    }
}
