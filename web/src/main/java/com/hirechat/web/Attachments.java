package com.hirechat.web;

/** The attachments' parts the server needs: where bytes go, what was uploaded, and what is accepted. */
public record Attachments(AttachmentStore store, AttachmentUploads uploads, AttachmentPolicy policy) {
}
