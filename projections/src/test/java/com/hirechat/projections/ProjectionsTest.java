package com.hirechat.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvents.JobLinked;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationEvents.MessagesRead;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.JobReference;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.Profile;
import com.hirechat.domain.ProfileRole;
import com.hirechat.domain.UserId;
import com.hirechat.domain.UserProfileUpdated;
import com.hirechat.domain.UserRegistered;

/** The projections against a real PostgreSQL, including redelivery of the same events. */
class ProjectionsTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final ConversationId CONVERSATION = ConversationId.direct(SEEKER, RECRUITER);
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private Jdbi jdbi;
    private List<AnnotationEventHandlerAdapter> projections;
    private ReadModelQueries queries;

    @BeforeEach
    void setUp() {
        var dataSource = TestDatabase.dataSource(TestDatabase.createDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/readmodel").load().migrate();
        jdbi = Jdbi.create(dataSource);
        var writes = new ReadModelWrites(jdbi);
        projections = List.of(new ParticipantsProjection(jdbi), new HistoryProjection(writes),
                        new ContactsProjection(writes), new DirectoryProjection(writes)).stream()
                .map(AnnotationEventHandlerAdapter::new)
                .toList();
        queries = new ReadModelQueries(jdbi);
    }

    private static ConversationStarted started() {
        return new ConversationStarted(CONVERSATION, ConversationKind.DIRECT, SEEKER, List.of(RECRUITER, SEEKER), null,
                T0, 0);
    }

    private static MessageSent sent(long seq, UserId sender, String text) {
        var client = ClientMessageId.of("c-" + seq);
        return new MessageSent(CONVERSATION, MessageId.of(CONVERSATION, sender, client), client, sender, text,
                T0.plus(seq, ChronoUnit.MINUTES), seq);
    }

    /** Dispatches as Axon does: to every handler method of every projection that accepts the event. */
    private void deliver(Object event) {
        var message = GenericEventMessage.asEventMessage(event);
        for (var projection : projections) {
            try {
                projection.handle(message);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void buildsHistoryContactsAndParticipants() {
        List.of(started(), sent(1, SEEKER, "Hi, about the Java job"), sent(2, RECRUITER, "Welcome!"),
                sent(3, SEEKER, "Great")).forEach(this::deliver);

        assertThat(queries.isParticipant(CONVERSATION, SEEKER)).isTrue();
        assertThat(queries.isParticipant(CONVERSATION, UserId.of("stranger"))).isFalse();
        assertThat(queries.history(CONVERSATION, Optional.empty(), Long.MAX_VALUE, 10))
                .extracting(HistoryMessage::seq, HistoryMessage::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "Great"),
                        org.assertj.core.groups.Tuple.tuple(2L, "Welcome!"),
                        org.assertj.core.groups.Tuple.tuple(1L, "Hi, about the Java job"));

        var recruiterSide = queries.contacts(RECRUITER, Optional.empty(), 10);
        assertThat(recruiterSide).singleElement().satisfies(contact -> {
            assertThat(contact.counterpartId()).isEqualTo("seeker");
            assertThat(contact.lastMessagePreview()).isEqualTo("Great");
            assertThat(contact.unreadCount()).isEqualTo(2);
            assertThat(contact.lastActivity()).isEqualTo(T0.plus(3, ChronoUnit.MINUTES));
        });
        assertThat(queries.contacts(SEEKER, Optional.empty(), 10)).singleElement()
                .satisfies(contact -> assertThat(contact.unreadCount()).isEqualTo(1));
    }

    @Test
    void aMessageChangesNoIndexedColumnOfContacts() {
        // every message rewrites its conversation's contacts rows: while no column it changes is indexed, PostgreSQL
        // updates them in place (HOT) instead of adding a row version to every index
        deliver(started());
        deliver(sent(1, SEEKER, "first"));
        var before = contactRow(RECRUITER);
        deliver(sent(2, SEEKER, "second"));
        var after = contactRow(RECRUITER);
        var changed = before.keySet().stream().filter(column -> !Objects.equals(before.get(column), after.get(column)))
                .toList();

        var indexed = jdbi.withHandle(h -> h.createQuery("""
                        SELECT a.attname FROM pg_index i
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                         WHERE i.indrelid = 'contacts'::regclass""").mapTo(String.class).set());
        assertThat(changed).contains("last_message_preview", "last_activity", "unread_count");
        assertThat(indexed).contains("conversation_id").doesNotContainAnyElementsOf(changed);
    }

    private Map<String, Object> contactRow(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM contacts WHERE user_id = :user")
                .bind("user", user.value()).mapToMap().one());
    }

    @Test
    void redeliveredEventsChangeNothing() {
        var events = List.of(started(), sent(1, SEEKER, "one"), sent(2, RECRUITER, "two"));
        events.forEach(this::deliver);
        var historyBefore = queries.history(CONVERSATION, Optional.empty(), Long.MAX_VALUE, 10);
        var contactsBefore = queries.contacts(RECRUITER, Optional.empty(), 10);

        // at-least-once delivery: the whole stream again, and an old event after a newer one
        events.forEach(this::deliver);
        deliver(sent(1, SEEKER, "one"));

        assertThat(queries.history(CONVERSATION, Optional.empty(), Long.MAX_VALUE, 10)).isEqualTo(historyBefore);
        assertThat(queries.contacts(RECRUITER, Optional.empty(), 10)).isEqualTo(contactsBefore);
        int participantRows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM conversation_participants")
                .mapTo(Integer.class).one());
        assertThat(participantRows).isEqualTo(2);
    }

    @Test
    void historyPagesNewestFirstByCursor() {
        deliver(started());
        for (int seq = 1; seq <= 25; seq++) {
            deliver(sent(seq, seq % 2 == 0 ? RECRUITER : SEEKER, "message " + seq));
        }
        var first = queries.history(CONVERSATION, Optional.empty(), Long.MAX_VALUE, 10);
        var second = queries.history(CONVERSATION, Optional.of(first.getLast().seq()), Long.MAX_VALUE, 10);
        var third = queries.history(CONVERSATION, Optional.of(second.getLast().seq()), Long.MAX_VALUE, 10);

        assertThat(first).extracting(HistoryMessage::seq).containsExactly(25L, 24L, 23L, 22L, 21L, 20L, 19L, 18L, 17L, 16L);
        assertThat(second).extracting(HistoryMessage::seq).containsExactly(15L, 14L, 13L, 12L, 11L, 10L, 9L, 8L, 7L, 6L);
        assertThat(third).extracting(HistoryMessage::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void contactsPageByActivityWithAnOpaqueCursor() {
        var recruiter = RECRUITER;
        for (int i = 0; i < 5; i++) {
            var seeker = UserId.of("seeker-" + i);
            var conversation = ConversationId.direct(seeker, recruiter);
            deliver(new ConversationStarted(conversation, ConversationKind.DIRECT, seeker,
                    List.of(recruiter, seeker), null, T0.plus(i, ChronoUnit.HOURS), 0));
        }
        var firstPage = queries.contacts(recruiter, Optional.empty(), 2);
        var cursor = ContactsCursor.decode(ContactsCursor.after(firstPage.getLast()).encode());
        var secondPage = queries.contacts(recruiter, cursor, 10);

        assertThat(firstPage).extracting(Contact::counterpartId).containsExactly("seeker-4", "seeker-3");
        assertThat(secondPage).extracting(Contact::counterpartId).containsExactly("seeker-2", "seeker-1", "seeker-0");
        assertThat(ContactsCursor.decode("garbage")).isEmpty();
        assertThat(ContactsCursor.decode("2026-01-01T00:00:00Z_not-a-uuid")).isEmpty();
    }

    @Test
    void editsAndRedactionsShowInHistoryAndTheSidebarAndReadingClearsUnread() {
        var first = sent(1, SEEKER, "Helo");
        var second = sent(2, SEEKER, "Call me at 555-0100");
        List.of(started(), first, second,
                new MessageEdited(CONVERSATION, first.messageId(), 1, SEEKER, "Hello", T0.plusSeconds(200), 3),
                new MessageRedacted(CONVERSATION, second.messageId(), 2, SEEKER, false, T0.plusSeconds(300), 4))
                .forEach(this::deliver);

        var page = queries.history(CONVERSATION, Optional.empty(), Long.MAX_VALUE, 10);
        assertThat(page).extracting(HistoryMessage::seq, HistoryMessage::text, HistoryMessage::redacted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "", true),
                        org.assertj.core.groups.Tuple.tuple(1L, "Hello", false));
        assertThat(page.get(1).editedAt()).isEqualTo(T0.plusSeconds(200));
        var recruiterSide = queries.contacts(RECRUITER, Optional.empty(), 10).getFirst();
        assertThat(recruiterSide.lastMessagePreview()).isNull();
        assertThat(recruiterSide.lastMessageRedacted()).isTrue();
        // the removed message no longer counts as unread; the edited one still does
        assertThat(recruiterSide.unreadCount()).isEqualTo(1);
        assertThat(recruiterSide.lastEventSeq()).isEqualTo(4);
        // nor for the author, whose own messages never counted
        assertThat(queries.contacts(SEEKER, Optional.empty(), 10).getFirst().unreadCount()).isZero();

        // counted afresh from the history when reading: the removed one is left out again
        deliver(new MessagesRead(CONVERSATION, RECRUITER, 1, T0.plusSeconds(400), 5));
        assertThat(queries.contacts(RECRUITER, Optional.empty(), 10).getFirst().unreadCount()).isZero();
        deliver(new MessagesRead(CONVERSATION, RECRUITER, 4, T0.plusSeconds(500), 6));
        deliver(new MessagesRead(CONVERSATION, RECRUITER, 1, T0.plusSeconds(400), 5)); // redelivered late: ignored
        var read = queries.contacts(RECRUITER, Optional.empty(), 10).getFirst();
        assertThat(read.unreadCount()).isZero();
        assertThat(read.readUpTo()).isEqualTo(4);
    }

    @Test
    void aRemovedGroupMemberKeepsWhatCameBeforeAndNothingAfter() {
        var group = ConversationId.of(UUID.randomUUID().toString());
        var manager = UserId.of("manager");
        var client = ClientMessageId.of("g-1");
        List.of(new ConversationStarted(group, ConversationKind.GROUP, RECRUITER, List.of(RECRUITER, SEEKER, manager),
                        "Panel", T0, 0),
                new MessageSent(group, MessageId.of(group, RECRUITER, client), client, RECRUITER, "welcome", T0.plusSeconds(1), 1),
                new ParticipantRemoved(group, SEEKER, RECRUITER, T0.plusSeconds(2), 2),
                new MessageSent(group, MessageId.of(group, RECRUITER, ClientMessageId.of("g-2")), ClientMessageId.of("g-2"),
                        RECRUITER, "after you left", T0.plusSeconds(3), 3))
                .forEach(this::deliver);

        var seekerMembership = queries.participation(group, SEEKER).orElseThrow();
        assertThat(seekerMembership.isCurrent()).isFalse();
        assertThat(queries.isParticipant(group, SEEKER)).isFalse();
        assertThat(queries.history(group, Optional.empty(), seekerMembership.visibleBelow(), 10))
                .extracting(HistoryMessage::text).containsExactly("welcome");
        var seekerRow = queries.contacts(SEEKER, Optional.empty(), 10).getFirst();
        assertThat(seekerRow.removed()).isTrue();
        assertThat(seekerRow.lastMessagePreview()).isEqualTo("welcome");
        assertThat(seekerRow.title()).isEqualTo("Panel");
        assertThat(queries.contacts(manager, Optional.empty(), 10).getFirst().lastMessagePreview())
                .isEqualTo("after you left");
        assertThat(queries.conversation(group).orElseThrow().participants())
                .extracting(ConversationView.Member::userId).containsExactlyInAnyOrder("recruiter", "manager");
    }

    @Test
    void profilesAndJobsAreJoinedIntoWhatUsersSee() {
        deliver(started());
        deliver(new JobLinked(CONVERSATION, new JobReference("job-42", "Java Engineer"), SEEKER, T0, 1));
        deliver(new UserRegistered(RECRUITER, new Profile("Rita Recruiter", "https://img.example/r.png",
                ProfileRole.RECRUITER), T0));
        assertThat(queries.contacts(SEEKER, Optional.empty(), 10).getFirst().counterpartName()).isEqualTo("Rita Recruiter");

        deliver(new UserProfileUpdated(RECRUITER, new Profile("Rita R.", null, ProfileRole.COMPANY), T0.plusSeconds(9)));
        var contact = queries.contacts(SEEKER, Optional.empty(), 10).getFirst();
        assertThat(contact.counterpartName()).isEqualTo("Rita R.");
        assertThat(contact.counterpartRole()).isEqualTo("COMPANY");
        var view = queries.conversation(CONVERSATION).orElseThrow();
        assertThat(view.jobs()).extracting(ConversationView.Job::jobId).containsExactly("job-42");
        assertThat(view.participants()).extracting(ConversationView.Member::displayName)
                .containsExactlyInAnyOrder("Rita R.", "seeker");
    }

    @Test
    void longTextsArePreviewedOnOneLine() {
        assertThat(ContactsProjection.preview("  a\n\nb  ")).isEqualTo("a b");
        var preview = ContactsProjection.preview("x".repeat(500));
        assertThat(preview).hasSize(ContactsProjection.PREVIEW_LENGTH).endsWith("…");
    }
}
