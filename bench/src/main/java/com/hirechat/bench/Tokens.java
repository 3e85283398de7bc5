package com.hirechat.bench;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints HS256 tokens the way the host site would (docs/security.md), with the server's shared secret. */
final class Tokens {

    private final MACSigner signer;

    Tokens(String secret) {
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    String mint(String userId) {
        var now = System.currentTimeMillis();
        var claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("roles", List.of("user"))
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 6 * 3600_000L))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
