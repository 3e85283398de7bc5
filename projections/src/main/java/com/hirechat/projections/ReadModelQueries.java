package com.hirechat.projections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/** The queries the API serves from the read models. */
public final class ReadModelQueries {

    private final Jdbi jdbi;
    /** Who is in a conversation now when the table cannot say it exactly; {@code null}: the table, written with the events. */
    private final BiPredicate<ConversationId, UserId> currentParticipants;

    /** With the events in PostgreSQL: {@code conversation_participants} commits with them and answers every check. */
    public ReadModelQueries(Jdbi jdbi) {
        this(jdbi, null);
    }

    /**
     * Where {@code conversation_participants} is a projection that lags the events (Axon Server mode):
     * {@code currentParticipants} (the conversation itself) says who is in it now, and the table only how far a former
     * participant may read, once it shows their removal.
     */
    public ReadModelQueries(Jdbi jdbi, BiPredicate<ConversationId, UserId> currentParticipants) {
        this.jdbi = jdbi;
        this.currentParticipants = currentParticipants;
        for (var type : List.of(HistoryMessage.class, Contact.class, Participation.class, ConversationView.Member.class,
                ConversationView.Job.class, UserProfileView.class, UserSummary.class, MembershipChange.class,
                MessageAttachment.class)) {
            jdbi.registerRowMapper(ConstructorMapper.factory(type));
        }
    }

    /** The compliance console's search over these read models. */
    public ComplianceSearch complianceSearch() {
        return new ComplianceSearch(jdbi);
    }

    /** Whether the user is in the conversation now: exact in either mode, never lagging. */
    public boolean isParticipant(ConversationId conversation, UserId user) {
        if (currentParticipants != null) {
            return currentParticipants.test(conversation, user);
        }
        return participationRow(conversation, user).filter(Participation::isCurrent).isPresent();
    }

    /** The user's membership, current or past; empty if they never took part (or its removal is not shown yet). */
    public Optional<Participation> participation(ConversationId conversation, UserId user) {
        var row = participationRow(conversation, user);
        if (currentParticipants == null) {
            return row;
        }
        if (currentParticipants.test(conversation, user)) {
            // in it now: everything so far is theirs to read, whatever the lagging table says yet
            return Optional.of(new Participation(row.map(Participation::joinedSeq).orElse(0L), null));
        }
        // not in it now: a row that still says so is the table's lag, and gives nothing until it shows the removal
        return row.filter(participation -> !participation.isCurrent());
    }

    private Optional<Participation> participationRow(ConversationId conversation, UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT joined_seq, left_seq FROM conversation_participants
                         WHERE conversation_id = :conversation AND user_id = :user""")
                .bind("conversation", uuid(conversation))
                .bind("user", user.value())
                .mapTo(Participation.class)
                .findOne());
    }

    /** The conversations the user is in now (written with the events, never lagging). */
    public java.util.Set<ConversationId> currentConversations(UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT conversation_id::text FROM conversation_participants
                         WHERE user_id = :user AND left_seq IS NULL""")
                .bind("user", user.value())
                .mapTo(String.class)
                .map(ConversationId::of)
                .collect(java.util.stream.Collectors.toSet()));
    }

    /** Newest first: messages with seq below {@code beforeSeq} (and below {@code visibleBelow}), at most {@code limit}. */
    public List<HistoryMessage> history(ConversationId conversation, Optional<Long> beforeSeq, long visibleBelow,
                                        int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT h.conversation_id::text AS conversation_id, h.seq, h.message_id::text AS message_id,
                               h.client_message_id, h.sender_id, p.display_name AS sender_name,
                               p.avatar_url AS sender_avatar_url, h.text, h.sent_at, h.edited_at,
                               h.redacted_at IS NOT NULL AS redacted, h.redacted_at, h.erased
                          FROM message_history h
                          LEFT JOIN user_profiles p ON p.user_id = h.sender_id
                         WHERE h.conversation_id = :conversation AND h.seq < :before
                         ORDER BY h.seq DESC
                         LIMIT :limit""")
                .bind("conversation", uuid(conversation))
                .bind("before", Math.min(beforeSeq.orElse(Long.MAX_VALUE), visibleBelow))
                .bind("limit", limit)
                .mapTo(HistoryMessage.class)
                .list());
    }

    /** The files of the messages with seqs in {@code [fromSeq, toSeq]}, by seq and then their order in the message. */
    public List<MessageAttachment> attachments(ConversationId conversation, long fromSeq, long toSeq) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT seq, sender_id, sha256, name, size, media_type AS type, erased FROM message_attachments
                         WHERE conversation_id = :conversation AND seq BETWEEN :from AND :to
                         ORDER BY seq, position""")
                .bind("conversation", uuid(conversation))
                .bind("from", fromSeq)
                .bind("to", toSeq)
                .mapTo(MessageAttachment.class)
                .list());
    }

    /** The latest message below {@code visibleBelow} that carries the file with this hash, if any still shows it. */
    public Optional<MessageAttachment> attachment(ConversationId conversation, String sha256, long visibleBelow) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT seq, sender_id, sha256, name, size, media_type AS type, erased FROM message_attachments
                         WHERE conversation_id = :conversation AND sha256 = :sha256 AND seq < :below
                         ORDER BY seq DESC, position LIMIT 1""")
                .bind("conversation", uuid(conversation))
                .bind("sha256", sha256)
                .bind("below", visibleBelow)
                .mapTo(MessageAttachment.class)
                .findOne());
    }

    /** Most recent activity first, strictly after the cursor position when one is given. */
    public List<Contact> contacts(UserId user, Optional<ContactsCursor> after, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT c.conversation_id::text AS conversation_id, v.kind, v.title, c.counterpart_id,
                               p.display_name AS counterpart_name, p.avatar_url AS counterpart_avatar_url,
                               p.role AS counterpart_role, c.last_message_seq, c.last_message_preview,
                               c.last_message_sender AS last_message_sender_id, c.last_message_redacted,
                               c.last_activity, c.read_up_to, c.unread_count, c.removed, c.last_event_seq,
                               c.last_message_erased
                          FROM contacts c
                          LEFT JOIN conversations v ON v.conversation_id = c.conversation_id
                          LEFT JOIN user_profiles p ON p.user_id = c.counterpart_id
                         WHERE c.user_id = :user
                           AND (c.last_activity, c.conversation_id) < (:activity, :conversation)
                         ORDER BY c.last_activity DESC, c.conversation_id DESC
                         LIMIT :limit""")
                .bind("user", user.value())
                .bind("activity", after.map(ContactsCursor::lastActivity).orElse(Instant.parse("9999-12-31T00:00:00Z")))
                .bind("conversation", after.map(c -> UUID.fromString(c.conversationId()))
                        .orElse(new UUID(-1L, -1L)))
                .bind("limit", limit)
                .mapTo(Contact.class)
                .list());
    }

    /** The conversation's header, once the read models have it. */
    public Optional<ConversationView> conversation(ConversationId conversation) {
        return conversation(conversation, Long.MAX_VALUE);
    }

    /**
     * The header as a participant removed at {@code visibleBelow} last saw it: the members just after their removal
     * (they themselves no longer among them) and the jobs linked before it. {@link Long#MAX_VALUE}: as it is now.
     */
    public Optional<ConversationView> conversation(ConversationId conversation, long visibleBelow) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT conversation_id::text AS conversation_id, kind, title, started_by, started_at
                          FROM conversations WHERE conversation_id = :conversation""")
                .bind("conversation", uuid(conversation))
                .map((rs, ctx) -> new ConversationView(rs.getString("conversation_id"), rs.getString("kind"),
                        rs.getString("title"), rs.getString("started_by"),
                        rs.getObject("started_at", java.time.OffsetDateTime.class).toInstant(),
                        members(handle.getJdbi(), conversation, visibleBelow),
                        jobs(handle.getJdbi(), conversation, visibleBelow)))
                .findOne());
    }

    private static List<ConversationView.Member> members(Jdbi jdbi, ConversationId conversation, long visibleBelow) {
        // as of a removal: those who had joined before it and had not left by it. The table keeps each member's
        // latest stay only, so one who left after that removal and came back since is not listed.
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT m.user_id, coalesce(p.display_name, m.user_id) AS display_name, p.avatar_url, p.role,
                               m.joined_seq
                          FROM conversation_participants m
                          LEFT JOIN user_profiles p ON p.user_id = m.user_id
                         WHERE m.conversation_id = :conversation AND m.joined_seq < :below
                           AND (m.left_seq IS NULL OR m.left_seq > :below)
                         ORDER BY m.joined_seq, m.user_id""")
                .bind("conversation", uuid(conversation))
                .bind("below", visibleBelow)
                .mapTo(ConversationView.Member.class)
                .list());
    }

    private static List<ConversationView.Job> jobs(Jdbi jdbi, ConversationId conversation, long visibleBelow) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT job_id, title, linked_by, linked_at FROM job_links
                         WHERE conversation_id = :conversation AND seq < :below ORDER BY seq""")
                .bind("conversation", uuid(conversation))
                .bind("below", visibleBelow)
                .mapTo(ConversationView.Job.class)
                .list());
    }

    public Optional<UserProfileView> profile(UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT user_id, display_name, avatar_url, role, updated_at FROM user_profiles
                         WHERE user_id = :user""")
                .bind("user", user.value())
                .mapTo(UserProfileView.class)
                .findOne());
    }

    /**
     * Registered users whose id or display name contains {@code text}, ignoring case; those where it starts the id or
     * the name first, then by name. The table is scanned: it holds one row per registered user, and the answer is
     * capped at {@code limit}.
     */
    public List<UserSummary> searchUsers(String text, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT user_id, display_name, avatar_url, role FROM user_profiles
                         WHERE strpos(lower(user_id), :text) > 0 OR strpos(lower(display_name), :text) > 0
                         ORDER BY (strpos(lower(display_name), :text) = 1 OR strpos(lower(user_id), :text) = 1) DESC,
                                  lower(display_name), user_id
                         LIMIT :limit""")
                .bind("text", text.toLowerCase(java.util.Locale.ROOT))
                .bind("limit", limit)
                .mapTo(UserSummary.class)
                .list());
    }

    /** Who joined or left the conversation after its start, in seq order, up to and including {@code upToSeq} (a former participant's removal). */
    public List<MembershipChange> membership(ConversationId conversation, long upToSeq) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT seq, user_id, change, changed_by AS by, changed_at AS at FROM membership_changes
                         WHERE conversation_id = :conversation AND seq <= :upTo
                         ORDER BY seq""")
                .bind("conversation", uuid(conversation))
                .bind("upTo", upToSeq)
                .mapTo(MembershipChange.class)
                .list());
    }

    private static UUID uuid(ConversationId conversation) {
        return UUID.fromString(conversation.value());
    }
}
