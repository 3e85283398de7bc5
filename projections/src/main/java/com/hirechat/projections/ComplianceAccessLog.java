package com.hirechat.projections;

import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/** Records each compliance read of the event store before it happens, in {@code compliance_access_log}. */
public final class ComplianceAccessLog {

    private final Jdbi jdbi;

    public ComplianceAccessLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void record(UserId who, String action, ConversationId conversation, String reason) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO compliance_access_log (accessed_by, action, conversation_id, reason)
                        VALUES (:who, :action, :conversation, :reason)""")
                .bind("who", who.value())
                .bind("action", action)
                .bind("conversation", UUID.fromString(conversation.value()))
                .bind("reason", reason)
                .execute());
    }
}
