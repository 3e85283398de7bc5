package com.hirechat.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The per-thread digests give exactly what a fresh one would: stored message ids and chains depend on it. */
class DigestsTest {

    @Test
    void nameBasedUuidsAreTheJdksOwn() {
        var random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            var name = new byte[random.nextInt(200)];
            random.nextBytes(name);
            assertThat(Digests.nameBasedUuid(name)).isEqualTo(UUID.nameUUIDFromBytes(name));
        }
        var text = "message\nconversation\nclient-ünïcødé-🙂".getBytes(StandardCharsets.UTF_8);
        assertThat(Digests.nameBasedUuid(text)).isEqualTo(UUID.nameUUIDFromBytes(text));
    }

    @Test
    void aDigestLeftHalfWayStartsEmptyForTheNextUse() {
        Digests.sha256().update("left behind by a use that failed".getBytes(StandardCharsets.UTF_8));

        var abc = Digests.sha256().digest("abc".getBytes(StandardCharsets.UTF_8));

        assertThat(HexFormat.of().formatHex(abc))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
