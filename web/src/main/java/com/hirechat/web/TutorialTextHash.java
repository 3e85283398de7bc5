package com.hirechat.web;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * The hash under which the tutorial's double send is counted: keyed by a secret of the sender in that conversation
 * that their erasure destroys, so a stored hash cannot be tied to a text by guessing once the key is gone.
 */
@FunctionalInterface
public interface TutorialTextHash {

    /** A Base64url hash of the text, the same for the same sender, conversation and text while the key lives. */
    String of(ConversationId conversation, UserId sender, String text);
}
