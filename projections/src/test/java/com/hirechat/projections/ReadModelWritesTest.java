package com.hirechat.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvents.JobLinked;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationEvents.MessagesRead;
import com.hirechat.domain.ConversationEvents.ParticipantAdded;
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

/**
 * Statements held until a unit of work commits and sent in table order give exactly the rows that applying every
 * event at once gives, whatever the batches' sizes: reads counting the history, roles changing mid-batch and
 * redelivered events included.
 */
class ReadModelWritesTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final UserId MANAGER = UserId.of("manager");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    private static final ConversationId GROUP = ConversationId.of("7b0c1a52-5f0e-4d8e-9a55-3c1f0e2d4b61");
    private static final ConversationId OTHER = ConversationId.direct(SEEKER, MANAGER);
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    /** A database with every read-model table and the projections of the read-model processor writing to it. */
    private record ReadModels(Jdbi jdbi, List<AnnotationEventHandlerAdapter> handlers) {

        static ReadModels fresh() {
            var dataSource = TestDatabase.dataSource(TestDatabase.createDatabase());
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/readmodel").load().migrate();
            var jdbi = Jdbi.create(dataSource);
            var writes = new ReadModelWrites(jdbi);
            var handlers = List.of(Projection.values()).stream()
                    .map(projection -> new AnnotationEventHandlerAdapter(
                            projection.handler(jdbi, writes, AnalyticsProjection.SCHEMA)))
                    .toList();
            return new ReadModels(jdbi, handlers);
        }

        void apply(Object event) {
            var message = GenericEventMessage.asEventMessage(event);
            for (var handler : handlers) {
                try {
                    handler.handle(message);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }

        /** Applies the events in units of work of the given sizes, in turn, as the processor's batches do. */
        void applyInBatches(List<Object> events, List<Integer> sizes) {
            var next = 0;
            for (var turn = 0; next < events.size(); turn++) {
                var end = Math.min(events.size(), next + sizes.get(turn % sizes.size()));
                var unitOfWork = DefaultUnitOfWork.startAndGet(null);
                events.subList(next, end).forEach(this::apply);
                unitOfWork.commit();
                next = end;
            }
        }

        /** Every row of every table, as JSON text in a stable order, per table. */
        Map<String, List<String>> rows() {
            var all = new LinkedHashMap<String, List<String>>();
            for (var table : Projection.tablesInOrder()) {
                all.put(table.qualified(), jdbi.withHandle(handle -> handle.createQuery(
                                "SELECT row_to_json(t)::text AS r FROM " + table.qualified() + " t ORDER BY r")
                        .mapTo(String.class).list()));
            }
            return all;
        }

        long count(String table) {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table)
                    .mapTo(Long.class).one());
        }
    }

    @Test
    void batchedWritesGiveTheSameRowsAsOneEventAtATime() {
        var events = script();
        var oneAtATime = ReadModels.fresh();
        events.forEach(oneAtATime::apply);
        var expected = oneAtATime.rows();

        for (var sizes : List.of(List.of(1), List.of(3, 7), List.of(17, 5, 100), List.of(events.size()))) {
            var batched = ReadModels.fresh();
            batched.applyInBatches(events, sizes);
            assertThat(batched.rows()).as("batches of %s", sizes).isEqualTo(expected);
        }

        // and the script exercised what batching could get wrong
        assertThat(expected.values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());
        var unread = oneAtATime.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT unread_count FROM contacts WHERE user_id = 'recruiter' AND conversation_id = :c")
                .bind("c", UUID.fromString(DIRECT.value())).mapTo(Integer.class).one());
        assertThat(unread).as("read up to seq 6, then the seeker sent 8 (removed at 10), 11, 12 and 13").isEqualTo(3);
        var roles = oneAtATime.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT coalesce(sender_role, '-') FROM analytics.messages"
                                + " WHERE sender_id = 'manager' AND conversation_id = :group ORDER BY seq")
                .bind("group", UUID.fromString(GROUP.value())).mapTo(String.class).list());
        assertThat(roles).as("the manager's role is known from the profile event on").containsExactly("-", "RECRUITER");
        var response = oneAtATime.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT first_response_seconds FROM analytics.conversations WHERE conversation_id = :c")
                .bind("c", UUID.fromString(OTHER.value())).mapTo(Double.class).one());
        assertThat(response).as("the manager's first message after the seeker's, 10 s later").isEqualTo(10.0);
    }

    @Test
    void aUnitOfWorkWritesNothingBeforeItCommits() {
        var readModels = ReadModels.fresh();
        var unitOfWork = DefaultUnitOfWork.startAndGet(null);
        readModels.apply(started(DIRECT, ConversationKind.DIRECT, List.of(SEEKER, RECRUITER), 0));
        readModels.apply(sent(DIRECT, 1, SEEKER, "hello"));

        assertThat(readModels.count("message_history")).isZero();
        unitOfWork.commit();
        assertThat(readModels.count("message_history")).isEqualTo(1);
        assertThat(readModels.count("analytics.messages")).isEqualTo(1);
    }

    @Test
    void textsKeepEveryCharacterThroughTheArraysOfARun() {
        // row statements carry texts as elements of a text array: quoting, escapes and the word NULL must survive
        var texts = List.of("say \"hi\", {then} \\leave\\", "NULL", "line one\nline two\ttabbed", "😀 émoji, ñ",
                "'single' ; DROP TABLE message_history; --");
        var readModels = ReadModels.fresh();
        var unitOfWork = DefaultUnitOfWork.startAndGet(null);
        readModels.apply(started(DIRECT, ConversationKind.DIRECT, List.of(SEEKER, RECRUITER), 0));
        for (var n = 0; n < texts.size(); n++) {
            readModels.apply(sent(DIRECT, n + 1, SEEKER, texts.get(n)));
        }
        unitOfWork.commit();

        var stored = readModels.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT text FROM message_history WHERE conversation_id = :c ORDER BY seq")
                .bind("c", UUID.fromString(DIRECT.value())).mapTo(String.class).list());
        assertThat(stored).containsExactlyElementsOf(texts);
        var preview = readModels.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT last_message_preview FROM contacts WHERE conversation_id = :c AND user_id = 'recruiter'")
                .bind("c", UUID.fromString(DIRECT.value())).mapTo(String.class).one());
        assertThat(preview).isEqualTo(texts.getLast());
    }

    @Test
    void aRolledBackUnitOfWorkWritesNothing() {
        var readModels = ReadModels.fresh();
        var unitOfWork = DefaultUnitOfWork.startAndGet(null);
        readModels.apply(started(DIRECT, ConversationKind.DIRECT, List.of(SEEKER, RECRUITER), 0));
        readModels.apply(sent(DIRECT, 1, SEEKER, "hello"));
        unitOfWork.rollback();

        assertThat(readModels.count("message_history")).isZero();
        assertThat(readModels.count("contacts")).isZero();
    }

    /** Two conversations interleaved, with every kind of event, a role that appears mid-stream and redeliveries. */
    private static List<Object> script() {
        var events = new ArrayList<Object>();
        events.add(new UserRegistered(SEEKER, new Profile("Sam Seeker", null, ProfileRole.SEEKER), T0));
        events.add(started(DIRECT, ConversationKind.DIRECT, List.of(SEEKER, RECRUITER), 0));
        events.add(new JobLinked(DIRECT, new JobReference("job-42", "Java Engineer"), SEEKER, T0.plusSeconds(1), 1));
        events.add(sent(DIRECT, 2, SEEKER, "Hi, about the Java job"));
        events.add(new UserRegistered(RECRUITER, new Profile("Rita", "https://img.example/r.png", ProfileRole.RECRUITER),
                T0.plusSeconds(3)));
        events.add(sent(DIRECT, 3, RECRUITER, "Welcome! When can you talk?"));
        events.add(started(GROUP, ConversationKind.GROUP, List.of(RECRUITER, SEEKER, MANAGER), 0));
        events.add(sent(GROUP, 1, MANAGER, "Panel on Friday"));
        // right after the manager's first message, in the same batch: that message was sent without a known role
        events.add(new UserRegistered(MANAGER, new Profile("Max", null, ProfileRole.RECRUITER), T0.plusSeconds(15)));
        events.add(sent(DIRECT, 4, SEEKER, "Tomorrow"));
        // both roles known, nothing in between: in one batch these messages are counted in one run
        events.add(started(OTHER, ConversationKind.DIRECT, List.of(MANAGER, SEEKER), 0));
        events.add(withFile(sent(OTHER, 1, MANAGER, "We saw your CV"), "job-description.pdf", "application/pdf"));
        events.add(sent(OTHER, 2, SEEKER, "Thanks!"));
        events.add(sent(OTHER, 3, MANAGER, "Call on Monday?"));
        events.add(sent(OTHER, 4, MANAGER, "Or Tuesday"));
        events.add(new MessagesRead(DIRECT, SEEKER, 3, T0.plusSeconds(20), 5));
        events.add(sent(DIRECT, 6, SEEKER, "Helo again"));
        events.add(new MessagesRead(DIRECT, RECRUITER, 6, T0.plusSeconds(30), 7));
        // its file goes with it when it is removed
        var edited = withFile(sent(DIRECT, 8, SEEKER, "Call me at 555-0100"), "card.png", "image/png");
        events.add(edited);
        events.add(new MessageEdited(DIRECT, MessageId.of(DIRECT, SEEKER, ClientMessageId.of("c-6")), 6, SEEKER, "Hello again",
                T0.plusSeconds(40), 9));
        events.add(new MessageRedacted(DIRECT, edited.messageId(), 8, SEEKER, false, T0.plusSeconds(41), 10));
        events.add(sent(GROUP, 2, MANAGER, "Bring your portfolio"));
        events.add(new ParticipantRemoved(GROUP, SEEKER, RECRUITER, T0.plusSeconds(50), 3));
        events.add(sent(GROUP, 4, RECRUITER, "after the seeker left"));
        events.add(new ParticipantAdded(GROUP, SEEKER, RECRUITER, T0.plusSeconds(60), 5));
        events.add(new MessagesRead(GROUP, SEEKER, 5, T0.plusSeconds(61), 6));
        events.add(new UserProfileUpdated(RECRUITER, new Profile("Rita R.", null, ProfileRole.COMPANY), T0.plusSeconds(70)));
        events.add(sent(GROUP, 7, RECRUITER, "see you"));
        events.add(new JobLinked(GROUP, new JobReference("job-7", "Panel"), RECRUITER, T0.plusSeconds(71), 8));
        // at-least-once delivery: a stretch of the stream again, after newer events
        events.addAll(List.copyOf(events.subList(2, 14)));
        events.add(sent(DIRECT, 11, SEEKER, "still there?"));
        events.add(sent(DIRECT, 12, SEEKER, "?"));
        // a run that starts with messages already applied and ends with a new one: only the new one counts
        events.add(sent(DIRECT, 11, SEEKER, "still there?"));
        events.add(sent(DIRECT, 12, SEEKER, "?"));
        events.add(sent(DIRECT, 13, SEEKER, "hello?"));
        // redelivered read: its position is older than the row's, so it changes nothing
        events.add(new MessagesRead(DIRECT, RECRUITER, 6, T0.plusSeconds(30), 7));
        return events;
    }

    private static ConversationStarted started(ConversationId conversation, ConversationKind kind,
                                               List<UserId> participants, long seq) {
        return new ConversationStarted(conversation, kind, participants.getFirst(), participants,
                kind == ConversationKind.GROUP ? "Panel" : null, T0, seq);
    }

    private static MessageSent withFile(MessageSent message, String name, String type) {
        var hash = String.format("%064x", message.seq() * 31 + name.length());
        return new MessageSent(message.conversationId(), message.messageId(), message.clientMessageId(), message.sentBy(),
                message.text(), message.sentAt(), message.seq(),
                List.of(new com.hirechat.domain.Attachment(name, 1000 + message.seq(), type, hash)));
    }

    private static MessageSent sent(ConversationId conversation, long seq, UserId sender, String text) {
        var client = ClientMessageId.of("c-" + seq);
        return new MessageSent(conversation, MessageId.of(conversation, sender, client), client, sender, text,
                T0.plusSeconds(seq * 10), seq);
    }
}
