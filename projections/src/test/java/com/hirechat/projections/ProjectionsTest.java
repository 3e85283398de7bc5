package com.hirechat.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;

/** The projections against a real PostgreSQL, including redelivery of the same events. */
class ProjectionsTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final ConversationId CONVERSATION = ConversationId.direct(SEEKER, RECRUITER);
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private Jdbi jdbi;
    private ParticipantsProjection participants;
    private HistoryProjection history;
    private ContactsProjection contacts;
    private ReadModelQueries queries;

    @BeforeEach
    void setUp() {
        var dataSource = TestDatabase.dataSource(TestDatabase.createDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/readmodel").load().migrate();
        jdbi = Jdbi.create(dataSource);
        participants = new ParticipantsProjection(jdbi);
        history = new HistoryProjection(jdbi);
        contacts = new ContactsProjection(jdbi);
        queries = new ReadModelQueries(jdbi);
    }

    private static ConversationStarted started() {
        return new ConversationStarted(CONVERSATION, ConversationKind.DIRECT, SEEKER, List.of(RECRUITER, SEEKER), T0, 0);
    }

    private static MessageSent sent(long seq, UserId sender, String text) {
        var client = ClientMessageId.of("c-" + seq);
        return new MessageSent(CONVERSATION, MessageId.of(CONVERSATION, client), client, sender, text,
                T0.plus(seq, ChronoUnit.MINUTES), seq);
    }

    private void deliver(Object event) {
        if (event instanceof ConversationStarted s) {
            participants.on(s);
            contacts.on(s);
        } else if (event instanceof MessageSent m) {
            history.on(m);
            contacts.on(m);
        }
    }

    @Test
    void buildsHistoryContactsAndParticipants() {
        List.of(started(), sent(1, SEEKER, "Hi, about the Java job"), sent(2, RECRUITER, "Welcome!"),
                sent(3, SEEKER, "Great")).forEach(this::deliver);

        assertThat(queries.isParticipant(CONVERSATION, SEEKER)).isTrue();
        assertThat(queries.isParticipant(CONVERSATION, UserId.of("stranger"))).isFalse();
        assertThat(queries.history(CONVERSATION, Optional.empty(), 10))
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
    void redeliveredEventsChangeNothing() {
        var events = List.of(started(), sent(1, SEEKER, "one"), sent(2, RECRUITER, "two"));
        events.forEach(this::deliver);
        var historyBefore = queries.history(CONVERSATION, Optional.empty(), 10);
        var contactsBefore = queries.contacts(RECRUITER, Optional.empty(), 10);

        // at-least-once delivery: the whole stream again, and an old event after a newer one
        events.forEach(this::deliver);
        deliver(sent(1, SEEKER, "one"));

        assertThat(queries.history(CONVERSATION, Optional.empty(), 10)).isEqualTo(historyBefore);
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
        var first = queries.history(CONVERSATION, Optional.empty(), 10);
        var second = queries.history(CONVERSATION, Optional.of(first.getLast().seq()), 10);
        var third = queries.history(CONVERSATION, Optional.of(second.getLast().seq()), 10);

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
            var start = new ConversationStarted(conversation, ConversationKind.DIRECT, seeker,
                    List.of(recruiter, seeker), T0.plus(i, ChronoUnit.HOURS), 0);
            participants.on(start);
            contacts.on(start);
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
    void longTextsArePreviewedOnOneLine() {
        assertThat(ContactsProjection.preview("  a\n\nb  ")).isEqualTo("a b");
        var preview = ContactsProjection.preview("x".repeat(500));
        assertThat(preview).hasSize(ContactsProjection.PREVIEW_LENGTH).endsWith("…");
    }
}
