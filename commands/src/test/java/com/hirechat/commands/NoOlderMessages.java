package com.hirechat.commands;

import java.util.Optional;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageFacts;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageLedger;
import com.hirechat.domain.UserId;

/**
 * The message ledger of conversations short enough that the aggregate remembers every message: nothing older to
 * look up. For tests of the write side's machinery, whose conversations hold a few messages.
 */
public final class NoOlderMessages implements MessageLedger {

    @Override
    public Optional<MessageAccepted> accepted(ConversationId conversation, UserId sender, ClientMessageId clientMessageId) {
        return Optional.empty();
    }

    @Override
    public Optional<MessageFacts> facts(ConversationId conversation, MessageId messageId) {
        return Optional.empty();
    }
}
