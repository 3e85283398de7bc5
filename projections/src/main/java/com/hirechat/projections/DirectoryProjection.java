package com.hirechat.projections;

import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import com.hirechat.domain.ConversationEvents.JobLinked;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.Profile;
import com.hirechat.domain.Erased;
import com.hirechat.domain.UserErased;
import com.hirechat.domain.UserId;
import com.hirechat.domain.UserProfileUpdated;
import com.hirechat.domain.UserRegistered;

/** Keeps {@code conversations}, {@code job_links} and {@code user_profiles}: what conversations are about and who people are. */
@ProcessingGroup(ProcessingGroups.READ_MODELS)
public final class DirectoryProjection {

    private final ReadModelWrites writes;

    public DirectoryProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    @EventHandler
    void on(ConversationStarted event) {
        writes.queue(ReadModelTable.CONVERSATIONS, """
                        INSERT INTO conversations (conversation_id, kind, title, started_by, started_at)
                        VALUES (:conversation, :kind, :title, :by, :at)
                        ON CONFLICT DO NOTHING""",
                statement -> statement
                        .bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("kind", event.kind().name())
                        .bind("title", event.title())
                        .bind("by", event.startedBy().value())
                        .bind("at", event.startedAt()));
    }

    @EventHandler
    void on(JobLinked event) {
        writes.queue(ReadModelTable.JOB_LINKS, """
                        INSERT INTO job_links (conversation_id, job_id, title, linked_by, linked_at, seq)
                        VALUES (:conversation, :job, :title, :by, :at, :seq)
                        ON CONFLICT DO NOTHING""",
                statement -> statement
                        .bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("job", event.job().jobId())
                        .bind("title", event.job().title())
                        .bind("by", event.linkedBy().value())
                        .bind("at", event.linkedAt())
                        .bind("seq", event.seq()));
    }

    @EventHandler
    void on(UserRegistered event) {
        upsert(event.userId(), event.profile(), event.registeredAt());
    }

    @EventHandler
    void on(UserProfileUpdated event) {
        upsert(event.userId(), event.profile(), event.updatedAt());
    }

    /** The profile is gone with its key; a rebuild, reading it erased, removes it at the same event. */
    @EventHandler
    void on(UserErased event) {
        writes.now(handle -> handle.createUpdate("DELETE FROM user_profiles WHERE user_id = :user")
                .bind("user", event.userId().value())
                .execute());
    }

    private void upsert(UserId user, Profile profile, java.time.Instant at) {
        // a profile's events carry no seq in a conversation; their time orders them within the user's stream.
        // Written now: the analytics look a sender's role up as it is at each event.
        writes.now(handle -> handle.createUpdate("""
                        INSERT INTO user_profiles (user_id, display_name, avatar_url, role, updated_at)
                        VALUES (:user, :name, :avatar, :role, :at)
                        ON CONFLICT (user_id) DO UPDATE
                            SET display_name = excluded.display_name, avatar_url = excluded.avatar_url,
                                role = excluded.role, updated_at = excluded.updated_at
                            WHERE user_profiles.updated_at <= excluded.updated_at""")
                .bind("user", user.value())
                // an erased name (its key destroyed before this event was read) is kept empty until the erasure's
                // own event removes the row
                .bind("name", Erased.is(profile.displayName()) ? "" : profile.displayName())
                .bind("avatar", profile.avatarUrl())
                .bind("role", profile.role().name())
                .bind("at", at)
                .execute());
    }
}
