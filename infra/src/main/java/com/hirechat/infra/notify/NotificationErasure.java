package com.hirechat.infra.notify;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.UserErased;
import com.hirechat.projections.ProcessingGroups;

/**
 * An erased user's address and preferences go with their profile: the row is deleted, and digests still waiting for
 * them are skipped. (The address was unreadable from the moment the erasure destroyed the profile key.)
 */
@ProcessingGroup(ProcessingGroups.READ_MODELS)
final class NotificationErasure {

    private final Jdbi unitOfWork;

    NotificationErasure(Jdbi unitOfWork) {
        this.unitOfWork = unitOfWork;
    }

    @EventHandler
    void on(UserErased event) {
        unitOfWork.useHandle(h -> {
            h.createUpdate("DELETE FROM notification_settings WHERE user_id = :user")
                    .bind("user", event.userId().value()).execute();
            h.createUpdate("""
                            UPDATE digests SET status = 'SKIPPED', reason = 'erased'
                            WHERE recipient = :user AND status = 'PENDING'""")
                    .bind("user", event.userId().value()).execute();
        });
    }
}
