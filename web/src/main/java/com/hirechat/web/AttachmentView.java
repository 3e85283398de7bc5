package com.hirechat.web;

import com.hirechat.domain.Attachment;
import com.hirechat.domain.Erased;
import com.hirechat.projections.MessageAttachment;

/**
 * A message's file as clients see it (frames and the history): its id (the SHA-256) to download it by, its name
 * (empty with {@code erased} once its sender's key is gone), size and type.
 */
record AttachmentView(String id, String name, long size, String type, boolean erased) {

    static AttachmentView of(Attachment attachment) {
        var erased = Erased.is(attachment.name());
        return new AttachmentView(attachment.sha256(), erased ? "" : attachment.name(), attachment.size(),
                attachment.type(), erased);
    }

    static AttachmentView of(MessageAttachment attachment) {
        return new AttachmentView(attachment.sha256(), attachment.name(), attachment.size(), attachment.type(),
                attachment.erased());
    }
}
