package com.hirechat.infra.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.infra.crypto.DataKey;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.KeySubject;
import com.hirechat.web.AttachmentStore;

/**
 * Attachments in PostgreSQL: {@code attachment_chunks} (256 KiB of plaintext each, sealed by {@link ChunkCipher})
 * and {@code attachment_blobs} (one row per file: conversation, owner, SHA-256, size, key). Chunks are written one
 * short statement at a time while the upload streams in, so a slow upload holds no connection; the file exists only
 * once its blob row commits, after the last byte, the admission and the quota check. A refused or broken upload
 * deletes its chunks; {@link #removeAbandoned} clears what a crash left. Reading fetches one chunk at a time.
 */
public final class PostgresAttachmentStore implements AttachmentStore {

    private static final Logger LOG = Logger.getLogger(PostgresAttachmentStore.class.getName());
    /** Plaintext bytes per chunk. */
    public static final int CHUNK_BYTES = 256 * 1024;

    private final Jdbi jdbi;
    private final KeyRing keys;

    public PostgresAttachmentStore(Jdbi jdbi, KeyRing keys) {
        this.jdbi = jdbi;
        this.keys = keys;
    }

    @Override
    public Stored put(ConversationId conversation, UserId owner, InputStream content, long quotaBytes,
                      Admission admission) {
        var key = keys.keyFor(KeySubject.messages(conversation, owner));
        var blob = UUID.randomUUID();
        var digest = sha256();
        var buffer = new byte[CHUNK_BYTES];
        long size = 0;
        int chunks = 0;
        var kept = false;
        try {
            while (true) {
                int n = content.readNBytes(buffer, 0, CHUNK_BYTES);
                if (n == 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                size += n;
                writeChunk(blob, chunks++, ChunkCipher.seal(key, blob.toString(), chunks - 1, buffer, n));
                if (n < CHUNK_BYTES) {
                    break;
                }
            }
            var sha256 = HexFormat.of().formatHex(digest.digest());
            admission.admit(sha256, size);
            kept = commit(conversation, owner, blob, sha256, size, chunks, key, quotaBytes);
            return new Stored(sha256, size);
        } catch (IOException e) {
            throw new UncheckedIOException("the upload broke off", e);
        } finally {
            if (!kept) {
                deleteChunks(blob);
            }
        }
    }

    private void writeChunk(UUID blob, int chunk, ChunkCipher.Sealed sealed) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO attachment_chunks (blob_id, chunk_no, nonce, ciphertext)
                        VALUES (:blob, :chunk, :nonce, :ciphertext)""")
                .bind("blob", blob).bind("chunk", chunk).bind("nonce", sealed.nonce())
                .bind("ciphertext", sealed.ciphertext())
                .execute());
    }

    /** Makes the chunks a file; false when the same bytes were stored already (the new chunks are then dropped). */
    private boolean commit(ConversationId conversation, UserId owner, UUID blob, String sha256, long size, int chunks,
                           DataKey key, long quotaBytes) {
        return jdbi.inTransaction(handle -> {
            // one owner's uploads commit one at a time, so two together cannot both squeeze under the quota
            handle.createQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('attachments|' || :owner, 0))")
                    .bind("owner", owner.value()).mapTo(Integer.class).one();
            var existing = handle.createQuery("""
                            SELECT key_id::text FROM attachment_blobs
                             WHERE conversation_id = :conversation AND owner_id = :owner AND sha256 = :sha256""")
                    .bind("conversation", UUID.fromString(conversation.value())).bind("owner", owner.value())
                    .bind("sha256", sha256).mapTo(String.class).findOne();
            if (existing.filter(key.id()::equals).isPresent()) {
                return false;
            }
            // the same bytes under a key since destroyed are unreadable: this upload replaces them
            existing.ifPresent(stale -> deleteBlob(handle, conversation, owner, sha256));
            long used = handle.createQuery("SELECT coalesce(sum(size), 0) FROM attachment_blobs WHERE owner_id = :owner")
                    .bind("owner", owner.value()).mapTo(Long.class).one();
            if (used + size > quotaBytes) {
                throw new QuotaExceeded(used, quotaBytes);
            }
            handle.createUpdate("""
                            INSERT INTO attachment_blobs (blob_id, conversation_id, owner_id, sha256, size, chunks, key_id)
                            VALUES (:blob, :conversation, :owner, :sha256, :size, :chunks, :key)""")
                    .bind("blob", blob).bind("conversation", UUID.fromString(conversation.value()))
                    .bind("owner", owner.value()).bind("sha256", sha256).bind("size", size).bind("chunks", chunks)
                    .bind("key", UUID.fromString(key.id()))
                    .execute();
            return true;
        });
    }

    private void deleteChunks(UUID blob) {
        try {
            jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM attachment_chunks WHERE blob_id = :blob")
                    .bind("blob", blob).execute());
        } catch (RuntimeException e) {
            // the upload failed already; what is left has no blob row and is removed at the next start
            LOG.warning("could not remove the chunks of a failed upload: " + e.getMessage());
        }
    }

    private record Blob(UUID blobId, int chunks, long size, String keyId) {
    }

    private Optional<Blob> blob(ConversationId conversation, UserId owner, String sha256) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT blob_id, chunks, size, key_id::text FROM attachment_blobs
                         WHERE conversation_id = :conversation AND owner_id = :owner AND sha256 = :sha256""")
                .bind("conversation", UUID.fromString(conversation.value())).bind("owner", owner.value())
                .bind("sha256", sha256)
                .map((row, context) -> new Blob(row.getObject(1, UUID.class), row.getInt(2), row.getLong(3),
                        row.getString(4)))
                .findOne());
    }

    @Override
    public Optional<InputStream> open(ConversationId conversation, UserId owner, String sha256) {
        return blob(conversation, owner, sha256).flatMap(blob -> keys.key(blob.keyId())
                .map(key -> new ChunkStream(blob, key)));
    }

    /** The plaintext, one chunk in memory at a time; altered or missing chunks fail the read. */
    private final class ChunkStream extends InputStream {
        private final Blob blob;
        private final DataKey key;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        ChunkStream(Blob blob, DataKey key) {
            this.blob = blob;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, target, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (position >= current.length) {
                if (next >= blob.chunks()) {
                    return false;
                }
                current = chunk(next++);
                position = 0;
            }
            return true;
        }

        private byte[] chunk(int number) throws IOException {
            var row = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT nonce, ciphertext FROM attachment_chunks WHERE blob_id = :blob AND chunk_no = :chunk")
                    .bind("blob", blob.blobId()).bind("chunk", number)
                    .map((r, context) -> new byte[][] {r.getBytes(1), r.getBytes(2)})
                    .findOne());
            if (row.isEmpty()) {
                throw new IOException("chunk " + number + " of attachment " + blob.blobId() + " is missing");
            }
            try {
                return ChunkCipher.open(key, blob.blobId().toString(), number, row.get()[0], row.get()[1]);
            } catch (GeneralSecurityException e) {
                throw new IOException("chunk " + number + " of attachment " + blob.blobId() + " does not open", e);
            }
        }
    }

    @Override
    public boolean exists(ConversationId conversation, UserId owner, String sha256) {
        return blob(conversation, owner, sha256).flatMap(blob -> keys.key(blob.keyId())).isPresent();
    }

    @Override
    public void delete(ConversationId conversation, UserId owner, String sha256) {
        jdbi.useTransaction(handle -> deleteBlob(handle, conversation, owner, sha256));
    }

    private static void deleteBlob(org.jdbi.v3.core.Handle handle, ConversationId conversation, UserId owner,
                                   String sha256) {
        handle.createUpdate("""
                        WITH gone AS (DELETE FROM attachment_blobs
                                       WHERE conversation_id = :conversation AND owner_id = :owner AND sha256 = :sha256
                                   RETURNING blob_id)
                        DELETE FROM attachment_chunks WHERE blob_id IN (SELECT blob_id FROM gone)""")
                .bind("conversation", UUID.fromString(conversation.value())).bind("owner", owner.value())
                .bind("sha256", sha256)
                .execute();
    }

    @Override
    public long usedBytes(UserId owner) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT coalesce(sum(size), 0) FROM attachment_blobs WHERE owner_id = :owner")
                .bind("owner", owner.value()).mapTo(Long.class).one());
    }

    /** Removes chunks of uploads that never became a file (a crash mid-upload) and are older than an hour. */
    public int removeAbandoned() {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        DELETE FROM attachment_chunks c
                         WHERE written_at < now() - interval '1 hour'
                           AND NOT EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.blob_id = c.blob_id)""")
                .execute());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
