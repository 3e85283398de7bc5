package com.hirechat.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.logging.Logger;

import com.hirechat.infra.crypto.MasterKeys;

/**
 * The master key outside production when none is configured: {@code master-key} in the data directory, made once
 * (owner read/write only) and logged, so the local run's data stays readable across restarts. Production refuses to
 * start without {@code HIRECHAT_MASTER_KEY} (AppConfig).
 */
final class MasterKeyFile {

    static final String NAME = "master-key";
    private static final Logger LOG = Logger.getLogger(MasterKeyFile.class.getName());

    private MasterKeyFile() {
    }

    static MasterKeys resolve(AppConfig config) {
        if (config.masterKey().isPresent()) {
            return new MasterKeys(config.masterKey().get(), config.previousMasterKey());
        }
        return new MasterKeys(inDataDirectory(config.dataDir()), java.util.Optional.empty());
    }

    private static byte[] inDataDirectory(Path dataDir) {
        var file = dataDir.resolve(NAME);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                var key = MasterKeys.generate();
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                    LOG.warning("no HIRECHAT_MASTER_KEY: made a master key in " + file
                            + " (owner-only); set HIRECHAT_MASTER_KEY in production, where it is required");
                    return key;
                } catch (FileAlreadyExistsException raced) {
                    // another process of this data directory made it first: read theirs
                }
            }
            var key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            LOG.info("master key from " + file + " (no HIRECHAT_MASTER_KEY set)");
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("HIRECHAT_MASTER_KEY", "is not set and " + file + " cannot be used: " + e.getMessage());
        }
    }
}
