package com.hirechat.web;

import java.util.function.BiConsumer;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/** Carries typing indicators to every node without storing them. */
public interface TypingRelay {

    /** Announces that the user is typing in the conversation, to all nodes including this one. */
    void publish(ConversationId conversation, UserId typist);

    /** Where this node receives the announcements (its room hub). */
    void onTyping(BiConsumer<ConversationId, UserId> listener);

    /** A relay for a single node: announcements go straight to this node's listener. */
    static TypingRelay local() {
        return new TypingRelay() {
            private volatile BiConsumer<ConversationId, UserId> listener = (conversation, user) -> { };

            @Override
            public void publish(ConversationId conversation, UserId typist) {
                listener.accept(conversation, typist);
            }

            @Override
            public void onTyping(BiConsumer<ConversationId, UserId> listener) {
                this.listener = listener;
            }
        };
    }
}
