package com.hirechat.infra;

import java.util.Base64;
import java.util.Optional;

import com.hirechat.infra.crypto.MasterKeys;

/** Master keys for tests: fixed, so every node and restart of a test opens the same data keys. */
final class TestKeys {

    static final byte[] MASTER = new byte[32];
    static final byte[] OTHER = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            MASTER[i] = (byte) (i + 1);
            OTHER[i] = (byte) (100 + i);
        }
    }

    static final String MASTER_BASE64 = Base64.getEncoder().encodeToString(MASTER);
    static final String OTHER_BASE64 = Base64.getEncoder().encodeToString(OTHER);

    private TestKeys() {
    }

    static MasterKeys master() {
        return new MasterKeys(MASTER, Optional.empty());
    }
}
