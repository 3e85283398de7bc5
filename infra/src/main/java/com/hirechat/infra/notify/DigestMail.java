package com.hirechat.infra.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Composes one digest (docs/notifications.md#the-email): who wrote and about which job, not what (unless
 * {@code HIRECHAT_NOTIFY_INCLUDE_TEXT}), a link back to the chat, and the signed one-click unsubscribe (RFC 8058).
 */
final class DigestMail {

    /** What a digest says: counted messages, their senders' names, the jobs, the texts when included. */
    record Content(UUID digestId, String conversationId, boolean direct, List<String> senderIds,
                   List<String> senderNames, List<String> jobTitles, int messages, List<String> texts) {
    }

    private DigestMail() {
    }

    static MimeMessage compose(Session session, InternetAddress from, String to, Content content, URI publicUrl,
                               String unsubscribeToken) throws MessagingException {
        var domain = Optional.ofNullable(from.getAddress()).map(address -> address.substring(address.indexOf('@') + 1))
                .orElse("hirechat");
        // the same digest always carries the same Message-ID: a second delivery of it (see the at-least-once note) is
        // recognisably the same mail
        var messageId = "<digest-" + content.digestId() + "@" + domain + ">";
        var message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        var who = content.senderNames().isEmpty() ? "Someone" : String.join(", ", content.senderNames());
        var about = content.jobTitles().isEmpty() ? "" : " about " + String.join(", ", content.jobTitles());
        message.setSubject((content.messages() == 1 ? "New message from " : content.messages() + " new messages from ")
                + who + about, "UTF-8");
        var link = content.direct() && !content.senderIds().isEmpty()
                ? publicUrl.resolve("?with=" + URLEncoder.encode(content.senderIds().getFirst(), StandardCharsets.UTF_8))
                : publicUrl;
        var unsubscribe = publicUrl.resolve("unsubscribe?token=" + unsubscribeToken);
        var body = new StringBuilder();
        body.append(who).append(content.messages() == 1 ? " wrote to you" : " wrote " + content.messages()
                + " messages to you").append(about).append(" on HireChat, and you have not read ")
                .append(content.messages() == 1 ? "it" : "them").append(" yet.\n\n");
        for (var text : content.texts()) {
            body.append("> ").append(text.replace("\n", "\n> ")).append("\n\n");
        }
        body.append("Read and reply: ").append(link).append("\n\n")
                .append("You get this email because you have unread messages. Stop these emails: ").append(unsubscribe)
                .append("\n");
        message.setText(body.toString(), "UTF-8");
        message.setHeader("List-Unsubscribe", "<" + unsubscribe + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.setHeader("Auto-Submitted", "auto-generated");
        message.saveChanges();
        return message;
    }
}
