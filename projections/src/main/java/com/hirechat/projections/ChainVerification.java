package com.hirechat.projections;

import org.axonframework.eventsourcing.eventstore.EventStore;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.EventHash;

/**
 * Recomputes a conversation's hash chain from the stored events and names the first link that does not hold:
 * an event whose content or hash was altered, or which can no longer be read at all.
 *
 * @param checked        events verified before the first broken link (all of them when intact)
 * @param firstBrokenSeq the seq of the first broken link, or null when the chain holds
 */
public record ChainVerification(ConversationId conversationId, long checked, Long firstBrokenSeq) {

    public boolean intact() {
        return firstBrokenSeq == null;
    }

    /** Reads the conversation's events straight from the store, snapshots ignored. */
    public static ChainVerification of(EventStore eventStore, ConversationId conversation) {
        var stream = eventStore.readEvents(conversation.value(), 0);
        var previous = EventHash.GENESIS;
        long checked = 0;
        while (stream.hasNext()) {
            var message = stream.peek();
            var seq = message.getSequenceNumber();
            try {
                stream.next();
                if (!(message.getPayload() instanceof ConversationEvent event)) {
                    return new ChainVerification(conversation, checked, seq);
                }
                var expected = EventHash.next(previous, event);
                if (!expected.equals(message.getMetaData().get(EventHash.KEY)) || event.seq() != seq) {
                    return new ChainVerification(conversation, checked, seq);
                }
                previous = expected;
                checked++;
            } catch (RuntimeException unreadable) {
                // a payload altered into something that no longer deserializes is a broken link too
                return new ChainVerification(conversation, checked, seq);
            }
        }
        return new ChainVerification(conversation, checked, null);
    }
}
