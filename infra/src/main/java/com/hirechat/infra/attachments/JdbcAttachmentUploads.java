package com.hirechat.infra.attachments;

import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.Attachment;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.web.AttachmentUploads;

/** Uploads in {@code attachment_uploads}: one row per (conversation, uploader, hash), the latest name winning. */
public final class JdbcAttachmentUploads implements AttachmentUploads {

    private final Jdbi jdbi;

    public JdbcAttachmentUploads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(ConversationId conversation, UserId uploader, Attachment attachment) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO attachment_uploads (conversation_id, uploader_id, sha256, name, size, media_type)
                        VALUES (:conversation, :uploader, :sha256, :name, :size, :type)
                        ON CONFLICT (conversation_id, uploader_id, sha256)
                        DO UPDATE SET name = excluded.name, uploaded_at = now()""")
                .bind("conversation", UUID.fromString(conversation.value())).bind("uploader", uploader.value())
                .bind("sha256", attachment.sha256()).bind("name", attachment.name()).bind("size", attachment.size())
                .bind("type", attachment.type())
                .execute());
    }

    @Override
    public Optional<Attachment> find(ConversationId conversation, UserId uploader, String sha256) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT u.name, u.size, u.media_type FROM attachment_uploads u
                          JOIN attachment_blobs b ON b.conversation_id = u.conversation_id
                                                 AND b.owner_id = u.uploader_id AND b.sha256 = u.sha256
                         WHERE u.conversation_id = :conversation AND u.uploader_id = :uploader AND u.sha256 = :sha256""")
                .bind("conversation", UUID.fromString(conversation.value())).bind("uploader", uploader.value())
                .bind("sha256", sha256)
                .map((row, context) -> new Attachment(row.getString(1), row.getLong(2), row.getString(3), sha256))
                .findOne());
    }
}
