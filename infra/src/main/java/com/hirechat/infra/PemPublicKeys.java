package com.hirechat.infra;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo), RSA or EC, with the JDK's own key factories. */
final class PemPublicKeys {

    private PemPublicKeys() {
    }

    static PublicKey parse(String key, String pem) {
        var body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "is not a PEM public key");
        }
        for (var algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(key, "is neither an RSA nor an EC public key");
    }
}
