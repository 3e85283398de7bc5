package com.hirechat.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.hirechat.domain.Attachment;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * The {@code attachments} of a send (the HTTP body or the WebSocket frame): ids of files the sender uploaded into
 * this conversation, resolved to what the message records. Unknown ids are refused, so a message never refers to a
 * file that is not stored.
 */
final class AttachmentRefs {

    private AttachmentRefs() {
    }

    static List<Attachment> resolve(JsonNode body, ConversationId conversation, UserId sender, AttachmentUploads uploads) {
        var node = body.get("attachments");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("invalid_field", "'attachments' must be an array of attachment ids");
        }
        if (node.size() > Attachment.MAX_PER_MESSAGE) {
            throw ApiException.badRequest("too_many_attachments",
                    "a message carries at most " + Attachment.MAX_PER_MESSAGE + " attachments");
        }
        var resolved = new ArrayList<Attachment>();
        for (var element : node) {
            if (!element.isTextual() || !AttachmentRoutes.isAttachmentId(element.textValue())) {
                throw ApiException.badRequest("invalid_attachment_id",
                        "an attachment id is 64 lowercase hexadecimal digits");
            }
            var attachment = uploads.find(conversation, sender, element.textValue()).orElseThrow(() ->
                    ApiException.badRequest("unknown_attachment",
                            "no file with id " + element.textValue() + " was uploaded by you into this conversation"));
            if (resolved.stream().noneMatch(known -> known.sha256().equals(attachment.sha256()))) {
                resolved.add(attachment);
            }
        }
        return resolved;
    }

    /** The text of a send: required without attachments, optional (empty) with them. */
    static String text(JsonNode body, List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return Json.requiredText(body, "text");
        }
        return Json.optionalText(body, "text").orElse("");
    }
}
