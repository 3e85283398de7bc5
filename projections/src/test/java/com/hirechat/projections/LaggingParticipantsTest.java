package com.hirechat.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * Axon Server mode: {@code conversation_participants} lags the events, so who is in a conversation now comes from
 * the conversation itself, and the table only says how far a former participant may read once it shows the removal.
 * Every disagreement between the two resolves to less access, never more.
 */
class LaggingParticipantsTest {

    private static final ConversationId CONVERSATION = ConversationId.of(UUID.randomUUID().toString());
    private static final UserId MEMBER = UserId.of("member");

    private final Set<UserId> inTheConversation = new HashSet<>();
    private Jdbi jdbi;
    private ReadModelQueries queries;

    @BeforeEach
    void setUp() {
        var dataSource = TestDatabase.dataSource(TestDatabase.createDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/readmodel").load().migrate();
        jdbi = Jdbi.create(dataSource);
        queries = new ReadModelQueries(jdbi, (conversation, user) ->
                conversation.equals(CONVERSATION) && inTheConversation.contains(user));
    }

    @Test
    void aParticipantTheTableDoesNotShowYetIsInAndReadsEverything() {
        inTheConversation.add(MEMBER);

        assertThat(queries.isParticipant(CONVERSATION, MEMBER)).isTrue();
        assertThat(queries.participation(CONVERSATION, MEMBER)).hasValueSatisfying(participation ->
                assertThat(participation.visibleBelow()).isEqualTo(Long.MAX_VALUE));
    }

    @Test
    void aRemovalTheTableDoesNotShowYetShutsTheFormerParticipantOutEntirely() {
        row(MEMBER, 0, null); // the table still says "in it"; the conversation already removed them

        assertThat(queries.isParticipant(CONVERSATION, MEMBER)).isFalse();
        assertThat(queries.participation(CONVERSATION, MEMBER)).as("nothing until the table shows the removal")
                .isEmpty();
    }

    @Test
    void aRemovalTheTableShowsLetsTheFormerParticipantReadWhatCameBefore() {
        row(MEMBER, 0, 7L);

        assertThat(queries.isParticipant(CONVERSATION, MEMBER)).isFalse();
        assertThat(queries.participation(CONVERSATION, MEMBER)).hasValueSatisfying(participation ->
                assertThat(participation.visibleBelow()).isEqualTo(7));
    }

    @Test
    void aParticipantAddedAgainIsInWhateverTheTableStillSaysOfTheirRemoval() {
        row(MEMBER, 0, 7L);
        inTheConversation.add(MEMBER);

        assertThat(queries.isParticipant(CONVERSATION, MEMBER)).isTrue();
        assertThat(queries.participation(CONVERSATION, MEMBER)).hasValueSatisfying(participation ->
                assertThat(participation.visibleBelow()).isEqualTo(Long.MAX_VALUE));
    }

    @Test
    void withTheEventsInPostgresTheTableAloneAnswers() {
        var tableOnly = new ReadModelQueries(jdbi);
        row(MEMBER, 0, null);

        assertThat(tableOnly.isParticipant(CONVERSATION, MEMBER)).isTrue();
        assertThat(tableOnly.isParticipant(CONVERSATION, UserId.of("stranger"))).isFalse();
    }

    private void row(UserId user, long joinedSeq, Long leftSeq) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO conversation_participants (conversation_id, user_id, joined_seq, left_seq)
                        VALUES (:conversation, :user, :joined, :left)""")
                .bind("conversation", UUID.fromString(CONVERSATION.value()))
                .bind("user", user.value())
                .bind("joined", joinedSeq)
                .bind("left", leftSeq)
                .execute());
    }
}
