package com.hirechat.web;

import java.util.Optional;

import com.hirechat.domain.Attachment;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/** Files a user uploaded into a conversation, by their hash: what a message may then carry, under which name. */
public interface AttachmentUploads {

    /** Remembers (or renames) an upload. */
    void record(ConversationId conversation, UserId uploader, Attachment attachment);

    /** The upload with this hash, by this user in this conversation. */
    Optional<Attachment> find(ConversationId conversation, UserId uploader, String sha256);
}
