package com.hirechat.infra.notify;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

/** Where a composed digest goes: an SMTP server, or (development run) a capture shown at {@code /dev/mail}. */
sealed interface MailOutbox {

    /** A session to compose messages in. */
    Session session();

    /** Hands the message over; returns once the server accepted it, or throws. */
    void send(MimeMessage message) throws MessagingException;

    /** Jakarta Mail (Eclipse Angus) over SMTP, STARTTLS required unless configured off. */
    record Smtp(NotifyConfig.Smtp server, Session session) implements MailOutbox {

        static Smtp of(NotifyConfig.Smtp server) {
            var properties = new Properties();
            properties.put("mail.transport.protocol", "smtp");
            properties.put("mail.smtp.host", server.host());
            properties.put("mail.smtp.port", Integer.toString(server.port()));
            properties.put("mail.smtp.starttls.enable", Boolean.toString(server.startTls()));
            properties.put("mail.smtp.starttls.required", Boolean.toString(server.startTls()));
            properties.put("mail.smtp.ssl.checkserveridentity", "true");
            properties.put("mail.smtp.auth", Boolean.toString(server.username().isPresent()));
            // a server that does not answer is a failed attempt to retry later, not a sender thread stuck forever
            properties.put("mail.smtp.connectiontimeout", "10000");
            properties.put("mail.smtp.timeout", "30000");
            properties.put("mail.smtp.writetimeout", "30000");
            return new Smtp(server, Session.getInstance(properties));
        }

        @Override
        public void send(MimeMessage message) throws MessagingException {
            if (server.username().isPresent()) {
                Transport.send(message, server.username().get(), server.password().orElseThrow());
            } else {
                Transport.send(message);
            }
        }
    }

    /** Keeps the newest messages in memory instead of sending them: the development run without SMTP. */
    final class Captured implements MailOutbox {

        private static final int KEPT = 50;
        private final Session session = Session.getInstance(new Properties());
        private final Deque<Map<String, Object>> mail = new ArrayDeque<>();

        @Override
        public Session session() {
            return session;
        }

        @Override
        public synchronized void send(MimeMessage message) throws MessagingException {
            var view = new LinkedHashMap<String, Object>();
            view.put("messageId", message.getMessageID());
            view.put("to", String.valueOf(message.getRecipients(Message.RecipientType.TO)[0]));
            view.put("subject", message.getSubject());
            view.put("listUnsubscribe", message.getHeader("List-Unsubscribe", null));
            try {
                view.put("body", String.valueOf(message.getContent()));
            } catch (IOException e) {
                throw new MessagingException("cannot read the composed body", e);
            }
            mail.addFirst(view);
            while (mail.size() > KEPT) {
                mail.removeLast();
            }
        }

        synchronized List<Map<String, Object>> newestFirst() {
            return new ArrayList<>(mail);
        }
    }
}
