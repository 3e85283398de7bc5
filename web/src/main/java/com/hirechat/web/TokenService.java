package com.hirechat.web;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;

/** Signs and checks HS256 bearer tokens whose subject is the user id. */
public final class TokenService {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration DEV_TOKEN_LIFETIME = Duration.ofHours(12);

    private final byte[] secret;
    private final MACVerifier verifier;
    private final Clock clock;

    private TokenService(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
        try {
            this.verifier = new MACVerifier(this.secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token secret must be at least 32 bytes", e);
        }
    }

    /** Checks tokens signed with the given secret of at least 32 bytes. */
    public static TokenService withSecret(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("token secret must be at least 32 bytes");
        }
        return new TokenService(secret, Clock.systemUTC());
    }

    /** A secret nobody else knows, for development: tokens die with the process. */
    public static TokenService withRandomSecret() {
        var secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new TokenService(secret, Clock.systemUTC());
    }

    /** A short-lived token for the user with the given roles, as the development login hands out. */
    public String mint(UserId user, Set<String> roles) {
        var now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .subject(user.value())
                .claim("roles", List.copyOf(roles))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(DEV_TOKEN_LIFETIME)))
                .build();
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (KeyLengthException e) {
            throw new IllegalStateException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Who a valid token names; empty for anything forged, expired, malformed or of another algorithm. */
    public Optional<Principal> verify(String token) {
        try {
            var jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            var claims = jwt.getJWTClaimsSet();
            var now = clock.instant();
            if (claims.getExpirationTime() == null
                    || claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)
                    || (claims.getNotBeforeTime() != null
                        && claims.getNotBeforeTime().toInstant().minus(CLOCK_SKEW).isAfter(now))) {
                return Optional.empty();
            }
            var roles = new HashSet<String>();
            roles.add(Principal.USER);
            var claimed = claims.getStringListClaim("roles");
            if (claimed != null) {
                roles.addAll(claimed);
            }
            return Optional.of(new Principal(UserId.of(claims.getSubject()), roles));
        } catch (ParseException | JOSEException | DomainRuleViolation e) {
            return Optional.empty();
        }
    }
}
