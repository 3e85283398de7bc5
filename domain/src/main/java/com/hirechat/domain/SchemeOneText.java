package com.hirechat.domain;

/**
 * Frozen: the record text chain scheme 1 hashed, as the JDK printed each event's revision-1 record. Every scheme-1
 * link was written before any event had a revision 2, so this is always the revision-1 text. An event whose record
 * is still its revision-1 shape prints it itself; one whose record changed since is printed here from today's record
 * in its revision-1 shape (names and order of the components, the JDK's {@code Name[a=x, b=y]} form), so that its
 * stored scheme-1 links keep verifying. Never edit a case; add one when an event's record leaves its revision-1 shape.
 */
public final class SchemeOneText {

    private SchemeOneText() {
    }

    /** The revision-1 record text of {@code event}, read (and upcast) as today's record. */
    public static String of(ConversationEvent event) {
        return switch (event) {
            // revision 2 renamed sender to sentBy; revision 1 printed it as "sender", in the same place
            case MessageSent e -> "MessageSent[conversationId=" + e.conversationId() + ", messageId=" + e.messageId()
                    + ", clientMessageId=" + e.clientMessageId() + ", sender=" + e.sentBy() + ", text=" + e.text()
                    + ", sentAt=" + e.sentAt() + ", seq=" + e.seq() + "]";
            default -> event.toString();
        };
    }
}
