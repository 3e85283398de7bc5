package com.hirechat.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

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
 * The batching contract of {@link ReadModelWrites}, as a property: any sequence of conversation and profile events,
 * redelivered stretches included, split into units of work of any sizes, leaves exactly the rows that applying the
 * events one at a time leaves. {@link ReadModelWritesTest} pins hand-picked cases; this one lets jqwik look for
 * the sequence and the split that break it.
 */
class ReadModelBatchingPropertyTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final UserId MANAGER = UserId.of("manager");
    private static final List<UserId> USERS = List.of(SEEKER, RECRUITER, MANAGER);
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    private static final ConversationId GROUP = ConversationId.of("7b0c1a52-5f0e-4d8e-9a55-3c1f0e2d4b61");
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    /** Two databases reused by every try (emptied first): one applies one event at a time, the other in batches. */
    private static ReadModels oneAtATime;
    private static ReadModels batched;

    @Property(tries = 60)
    void anySplitIntoBatchesGivesTheRowsOfOneEventAtATime(
            @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 9_999) Integer> steps,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 30) Integer> batchSizes) {
        var events = new Script().play(steps);
        var expected = readModels(true).applyOneAtATime(events);

        assertThat(readModels(false).applyInBatches(events, batchSizes))
                .as("%d events in batches of %s", events.size(), batchSizes).isEqualTo(expected);
    }

    private static synchronized ReadModels readModels(boolean single) {
        if (oneAtATime == null) {
            oneAtATime = ReadModels.fresh();
            batched = ReadModels.fresh();
        }
        return single ? oneAtATime : batched;
    }

    /** A database with the read-model tables, written by the read-model projections over one open connection. */
    private record ReadModels(Jdbi jdbi, List<AnnotationEventHandlerAdapter> handlers) {

        static ReadModels fresh() {
            var dataSource = TestDatabase.dataSource(TestDatabase.createDatabase());
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/readmodel").load().migrate();
            Connection connection;
            try {
                connection = dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            // one connection for every handle: thousands of statements per try, no pool in this module's tests
            var jdbi = Jdbi.create(new ConnectionFactory() {
                @Override
                public Connection openConnection() {
                    return connection;
                }

                @Override
                public void closeConnection(Connection toClose) {
                    // kept for the next handle; the JVM's exit closes it
                }
            });
            var writes = new ReadModelWrites(jdbi);
            var handlers = List.of(Projection.values()).stream()
                    .map(projection -> new AnnotationEventHandlerAdapter(
                            projection.handler(jdbi, writes, AnalyticsProjection.SCHEMA)))
                    .toList();
            return new ReadModels(jdbi, handlers);
        }

        Map<String, List<String>> applyOneAtATime(List<Object> events) {
            empty();
            events.forEach(this::apply);
            return rows();
        }

        Map<String, List<String>> applyInBatches(List<Object> events, List<Integer> sizes) {
            empty();
            var next = 0;
            for (var turn = 0; next < events.size(); turn++) {
                var end = Math.min(events.size(), next + sizes.get(turn % sizes.size()));
                var unitOfWork = DefaultUnitOfWork.startAndGet(null);
                events.subList(next, end).forEach(this::apply);
                unitOfWork.commit();
                next = end;
            }
            return rows();
        }

        private void apply(Object event) {
            var message = GenericEventMessage.asEventMessage(event);
            for (var handler : handlers) {
                try {
                    handler.handle(message);
                } catch (Exception e) {
                    throw new AssertionError("applying " + event, e);
                }
            }
        }

        private void empty() {
            jdbi.useHandle(handle -> handle.execute("TRUNCATE " + String.join(", ",
                    Projection.tablesInOrder().stream().map(ReadModelTable::qualified).toList())));
        }

        private Map<String, List<String>> rows() {
            var all = new LinkedHashMap<String, List<String>>();
            for (var table : Projection.tablesInOrder()) {
                all.put(table.qualified(), jdbi.withHandle(handle -> handle.createQuery(
                                "SELECT row_to_json(t)::text AS r FROM " + table.qualified() + " t ORDER BY r")
                        .mapTo(String.class).list()));
            }
            return all;
        }
    }

    /**
     * Turns jqwik's numbers into a stream the aggregates could have written: each number picks a step (what
     * happens) and its argument (who, which message, how far back). Conversations get their seqs in order, edits
     * and redactions name messages that were sent, and a redelivery repeats a stretch of what came before, as a
     * processor does when it resumes from an older token.
     */
    private static final class Script {

        private final List<Object> events = new ArrayList<>();
        private final Map<ConversationId, Long> nextSeq = new HashMap<>();
        private final Map<ConversationId, LinkedHashSet<UserId>> members = new HashMap<>();
        private final Map<ConversationId, List<MessageSent>> sent = new HashMap<>();
        private final Map<UserId, Integer> profiles = new HashMap<>();
        private long clock;

        List<Object> play(List<Integer> steps) {
            for (var step : steps) {
                var argument = step / 10;
                switch (step % 10) {
                    case 0 -> profile(USERS.get(argument % USERS.size()), argument);
                    case 1 -> start(argument % 2 == 0 ? DIRECT : GROUP);
                    case 9 -> redeliver(argument);
                    default -> inConversation(step % 10, argument % 2 == 0 ? DIRECT : GROUP, argument / 2);
                }
            }
            return events;
        }

        private void profile(UserId user, int argument) {
            var role = ProfileRole.values()[argument % ProfileRole.values().length];
            var version = profiles.merge(user, 1, Integer::sum);
            var profile = new Profile(user.value() + " v" + version, argument % 3 == 0 ? null : "https://img/" + version,
                    role);
            events.add(version == 1 ? new UserRegistered(user, profile, now()) : new UserProfileUpdated(user, profile, now()));
        }

        private void start(ConversationId conversation) {
            if (nextSeq.containsKey(conversation)) {
                return;
            }
            var participants = conversation == DIRECT ? List.of(SEEKER, RECRUITER) : List.of(RECRUITER, SEEKER, MANAGER);
            var kind = conversation == DIRECT ? ConversationKind.DIRECT : ConversationKind.GROUP;
            events.add(new ConversationStarted(conversation, kind, participants.getFirst(), participants,
                    kind == ConversationKind.GROUP ? "Panel" : null, now(), 0));
            nextSeq.put(conversation, 1L);
            members.put(conversation, new LinkedHashSet<>(participants));
            sent.put(conversation, new ArrayList<>());
        }

        private void inConversation(int kind, ConversationId conversation, int argument) {
            if (!nextSeq.containsKey(conversation)) {
                start(conversation);
                return;
            }
            var present = List.copyOf(members.get(conversation));
            var actor = present.get(argument % present.size());
            var messages = sent.get(conversation);
            var seq = nextSeq.get(conversation);
            switch (kind) {
                case 2, 3 -> {
                    var client = ClientMessageId.of("c-" + seq);
                    var message = new MessageSent(conversation, MessageId.of(conversation, actor, client), client, actor,
                            "text " + seq + (argument % 4 == 0 ? " 'quoted', {braced} \"NULL\"" : ""), now(), seq);
                    messages.add(message);
                    events.add(message);
                }
                case 4 -> {
                    if (messages.isEmpty()) {
                        return;
                    }
                    var edited = messages.get(argument % messages.size());
                    events.add(new MessageEdited(conversation, edited.messageId(), edited.seq(), edited.sentBy(),
                            "edited at " + seq, now(), seq));
                }
                case 5 -> {
                    if (messages.isEmpty()) {
                        return;
                    }
                    var redacted = messages.get(argument % messages.size());
                    events.add(new MessageRedacted(conversation, redacted.messageId(), redacted.seq(), actor,
                            argument % 2 == 0, now(), seq));
                }
                case 6 -> events.add(new MessagesRead(conversation, actor, argument % seq, now(), seq));
                case 7 -> events.add(new JobLinked(conversation, new JobReference("job-" + argument % 5, "Job " + argument),
                        actor, now(), seq));
                case 8 -> {
                    if (conversation != GROUP) {
                        return;
                    }
                    var who = USERS.get(argument % USERS.size());
                    if (who.equals(RECRUITER)) {
                        return; // the group's owner stays
                    }
                    if (members.get(conversation).remove(who)) {
                        events.add(new ParticipantRemoved(conversation, who, RECRUITER, now(), seq));
                    } else {
                        members.get(conversation).add(who);
                        events.add(new ParticipantAdded(conversation, who, RECRUITER, now(), seq));
                    }
                }
                default -> throw new IllegalArgumentException("no step " + kind);
            }
            nextSeq.put(conversation, seq + 1);
        }

        /** At-least-once delivery: a stretch of the stream again, after newer events. */
        private void redeliver(int argument) {
            if (events.isEmpty()) {
                return;
            }
            var from = argument % events.size();
            var length = 1 + argument / 7 % 12;
            events.addAll(List.copyOf(events.subList(from, Math.min(events.size(), from + length))));
        }

        private Instant now() {
            clock += 7;
            return T0.plusSeconds(clock);
        }
    }
}
