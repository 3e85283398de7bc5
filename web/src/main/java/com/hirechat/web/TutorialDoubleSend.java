package com.hirechat.web;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.TutorialSends;

/**
 * Derives the client id of a message the tutorial's page sent without one: the {@code k}-th message of a text through
 * one channel is the {@code k}-th through the other, so both derive the same id and the send stores it once.
 */
record TutorialDoubleSend(TutorialSends sends, TutorialTextHash hashes) {

    ClientMessageId clientMessageId(ConversationId conversation, UserId sender, String text,
                                    TutorialSends.Channel channel) {
        // keyed, not a plain digest: the hash is stored (counts, ledger, events) and must die with the sender's key
        var hash = hashes.of(conversation, sender, text);
        var k = sends.next(conversation, sender, hash, channel);
        return ClientMessageId.of("t1-" + hash + "-" + k);
    }
}
