package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.KeySubject;
import com.hirechat.infra.crypto.MasterKeyRotation;
import com.hirechat.infra.crypto.MasterKeys;
import com.hirechat.projections.TestDatabase;

/** The master key: made once in the local run's data directory, and rotated by re-wrapping every data key. */
class MasterKeyTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void theLocalRunMakesAnOwnerOnlyKeyInItsDataDirectoryOnceAndSaysSo(@TempDir Path dataDir) throws Exception {
        var config = AppConfig.from(Map.of("HIRECHAT_DATA_DIR", dataDir.toString()));

        var first = MasterKeyFile.resolve(config);
        var file = dataDir.resolve(MasterKeyFile.NAME);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(log.warnings()).anyMatch(record -> record.getMessage().contains("made a master key in " + file));

        var again = MasterKeyFile.resolve(config);
        assertThat(again.currentId()).as("the same key after a restart").isEqualTo(first.currentId());
        assertThat(log.warnings()).filteredOn(record -> record.getMessage().contains("made a master key")).hasSize(1);
        assertThat(log.records()).anyMatch(record -> record.getLevel() == Level.INFO
                && record.getMessage().contains("master key from " + file));
    }

    @Test
    void aConfiguredKeyIsUsedAndNoFileIsMade(@TempDir Path dataDir) {
        var keys = MasterKeyFile.resolve(AppConfig.from(Map.of("HIRECHAT_DATA_DIR", dataDir.toString(),
                "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64)));
        assertThat(keys.currentId()).isEqualTo(MasterKeys.idOf(TestKeys.MASTER));
        assertThat(dataDir.resolve(MasterKeyFile.NAME)).doesNotExist();
    }

    @Test
    void rotationRewrapsEveryLiveKeySoTheOldMasterKeyIsNoLongerNeeded() {
        var database = TestDatabase.createDatabase();
        try (var db = Database.open(AppConfig.from(Map.of("HIRECHAT_JDBC_URL", database.jdbcUrl(),
                "HIRECHAT_JDBC_USER", database.user(), "HIRECHAT_JDBC_PASSWORD", database.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET)))) {
            var old = new MasterKeys(TestKeys.OTHER, Optional.empty());
            var before = new KeyRing(db.dataSource(), old);
            var conversation = ConversationId.of(java.util.UUID.randomUUID().toString());
            var words = before.keyFor(KeySubject.messages(conversation, UserId.of("seeker-1")));
            var profile = before.keyFor(KeySubject.profile(UserId.of("seeker-1")));

            var rotating = new MasterKeys(TestKeys.MASTER, Optional.of(TestKeys.OTHER));
            // nodes configured with both keys open keys under either while the rotation runs
            assertThat(new KeyRing(db.dataSource(), rotating).key(words.id())).isPresent();
            var jdbi = Jdbi.create(db.dataSource());
            var result = new MasterKeyRotation(jdbi, rotating).run();
            assertThat(result.rewrapped()).isEqualTo(2);
            assertThat(result.unopenable()).isZero();
            List<String> masterKeyIds = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT master_key_id FROM data_keys")
                    .mapTo(String.class).list());
            assertThat(masterKeyIds).containsExactly(MasterKeys.idOf(TestKeys.MASTER));

            // after the rotation the new key alone opens them, to the same data keys
            var after = new KeyRing(db.dataSource(), TestKeys.master());
            assertThat(after.key(words.id()).orElseThrow().sealing()).isEqualTo(words.sealing());
            assertThat(after.key(profile.id()).orElseThrow().sealing()).isEqualTo(profile.sealing());
            assertThat(new MasterKeyRotation(jdbi, rotating).run().rewrapped()).as("a second run has nothing to do")
                    .isZero();
            // a key under a master key nobody configured is reported, not lost
            new KeyRing(db.dataSource(), new MasterKeys(MasterKeys.generate(), Optional.empty()))
                    .keyFor(KeySubject.profile(UserId.of("someone-else")));
            assertThat(new MasterKeyRotation(jdbi, rotating).run().unopenable()).isEqualTo(1);
        }
    }
}
