package com.hirechat.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The plain SHA-256 of a text in the forms one might store it: what a guesser can compute without any key. */
final class UnkeyedHashes {

    private UnkeyedHashes() {
    }

    /** The 128-bit Base64url form the tutorial's counts once used, and the full digest as Base64url, Base64 and hex. */
    static List<String> of(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            var url = Base64.getUrlEncoder().withoutPadding();
            return List.of(url.encodeToString(Arrays.copyOf(digest, 16)), url.encodeToString(digest),
                    Base64.getEncoder().encodeToString(digest), HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
