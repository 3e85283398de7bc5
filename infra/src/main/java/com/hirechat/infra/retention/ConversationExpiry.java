package com.hirechat.infra.retention;

import java.util.List;
import java.util.logging.Logger;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ExpireConversation;
import com.hirechat.infra.erasure.ErasureHeld;
import com.hirechat.infra.erasure.ErasureRequests;
import com.hirechat.infra.erasure.ErasureSubject;
import com.hirechat.infra.erasure.KeyShredder;

/**
 * Expires a conversation in the erasure's three steps, each safe to run again: record the request, destroy every key
 * of the conversation (all authors), store {@code ConversationExpired}. A request a stopped process left half-done is
 * completed by {@link #resumeIncomplete}.
 */
public final class ConversationExpiry {

    /** Who asks, in {@code erasure_requests}: the policy, not a person. */
    public static final String REQUESTER = "retention";
    private static final Logger LOG = Logger.getLogger(ConversationExpiry.class.getName());

    private final ErasureRequests requests;
    private final KeyShredder shredder;
    private final ChatCommands commands;

    public ConversationExpiry(ErasureRequests requests, KeyShredder shredder, ChatCommands commands) {
        this.requests = requests;
        this.shredder = shredder;
        this.commands = commands;
    }

    /**
     * Destroys the conversation's keys under {@code rule} (e.g. {@code DIRECT:30d}); returns the keys destroyed.
     *
     * @throws ErasureHeld when a hold placed since the caller's check covers it: nothing is destroyed, the expiry is
     *                     deferred
     */
    public List<String> expire(ConversationId conversation, String rule) {
        return complete(requests.record(new ErasureSubject(ErasureSubject.Kind.CONVERSATION, conversation.value()),
                REQUESTER, rule));
    }

    /** Completes every expiry a stopped process left half-done; returns how many. */
    public int resumeIncomplete() {
        var pending = requests.incomplete().stream()
                .filter(request -> request.subject().kind() == ErasureSubject.Kind.CONVERSATION).toList();
        for (var request : pending) {
            LOG.warning("resuming expiry request " + request.id() + " of conversation " + request.subject().id());
            try {
                complete(request);
            } catch (ErasureHeld held) {
                LOG.info(held.getMessage() + ": the expiry is deferred");
            }
        }
        return pending.size();
    }

    private List<String> complete(ErasureRequests.Request request) {
        var conversation = ConversationId.of(request.subject().id());
        var keyIds = shredder.destroy(request);
        if (keyIds.isEmpty()) {
            // another run (another node, a hand-made run) destroyed them first and recorded the expiry: one event
            requests.complete(request.id());
            return keyIds;
        }
        commands.recordExpiry(new ExpireConversation(conversation, request.reason(), request.id().toString(), keyIds));
        requests.complete(request.id());
        LOG.info(() -> "conversation " + conversation + " expired under " + request.reason() + " (" + keyIds.size()
                + " keys destroyed)");
        return keyIds;
    }
}
