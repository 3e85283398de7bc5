package com.hirechat.projections;

import java.util.ArrayList;
import java.util.List;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.EventHash;

/**
 * Recomputes a conversation's hash chain from the stored events and names the first link that does not hold:
 * an event whose content or hash was altered, or which can no longer be read at all. Each link is checked by the
 * scheme stored with it (docs/compliance.md).
 *
 * @param checked        events verified before the first broken link (all of them when intact)
 * @param firstBrokenSeq the seq of the first broken link, or null when the chain holds
 * @param schemes        which scheme the verified events use, as consecutive ranges of seqs
 */
public record ChainVerification(ConversationId conversationId, long checked, Long firstBrokenSeq,
                                List<SchemeRange> schemes) {

    /** Events {@code fromSeq}..{@code toSeq} (inclusive) are chained by {@code scheme}. */
    public record SchemeRange(int scheme, long fromSeq, long toSeq) {
    }

    public ChainVerification {
        schemes = List.copyOf(schemes);
    }

    public boolean intact() {
        return firstBrokenSeq == null;
    }

    /** Reads the conversation's stored events, snapshots ignored. */
    public static ChainVerification of(StoredEvents store, ConversationId conversation) {
        var schemes = new ArrayList<SchemeRange>();
        var previous = EventHash.GENESIS;
        long checked = 0;
        try (var events = store.read(conversation)) {
            for (var iterator = events.iterator(); iterator.hasNext(); ) {
                var stored = iterator.next();
                if (!holds(stored, previous)) {
                    return new ChainVerification(conversation, checked, stored.seq(), schemes);
                }
                extend(schemes, stored.chainScheme(), stored.seq());
                previous = stored.chainHash();
                checked++;
            }
        }
        return new ChainVerification(conversation, checked, null, schemes);
    }

    private static boolean holds(StoredEvent stored, String previous) {
        try {
            var hash = stored.chainHash();
            if (hash == null || !hash.equals(stored.expectedHash(previous))) {
                return false;
            }
            // scheme 2 covers the stored sequence number itself; scheme 1 covered only the event's own seq
            return stored.chainScheme() != 1 || stored.event().seq() == stored.seq();
        } catch (RuntimeException unreadable) {
            // a payload or metadata altered into something that no longer reads is a broken link too
            return false;
        }
    }

    private static void extend(List<SchemeRange> schemes, int scheme, long seq) {
        var last = schemes.isEmpty() ? null : schemes.getLast();
        if (last != null && last.scheme() == scheme && last.toSeq() == seq - 1) {
            schemes.set(schemes.size() - 1, new SchemeRange(scheme, last.fromSeq(), seq));
        } else {
            schemes.add(new SchemeRange(scheme, seq, seq));
        }
    }
}
