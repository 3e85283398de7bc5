package com.hirechat.domain;

import static com.hirechat.domain.ConversationTest.violation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ConversationCommands.AddParticipant;
import com.hirechat.domain.ConversationCommands.CheckParticipant;
import com.hirechat.domain.ConversationCommands.EditMessage;
import com.hirechat.domain.ConversationCommands.LinkJob;
import com.hirechat.domain.ConversationCommands.MarkRead;
import com.hirechat.domain.ConversationCommands.RedactMessage;
import com.hirechat.domain.ConversationCommands.RemoveParticipant;
import com.hirechat.domain.ConversationEvents.JobLinked;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationEvents.MessagesRead;
import com.hirechat.domain.ConversationEvents.ParticipantAdded;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;

/** Job links, groups, edits, redactions and read state: every rule and every refusal. */
class ConversationModelTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final UserId MANAGER = UserId.of("hiring-manager");
    private static final UserId OUTSIDER = UserId.of("outsider");
    private static final UserId ADMIN = UserId.of("moderator");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    private static final ConversationId GROUP = ConversationId.of(UUID.nameUUIDFromBytes(new byte[] {1}).toString());
    private static final JobReference JAVA_JOB = new JobReference("job-42", "Senior Java Engineer");

    private AggregateTestFixture<Conversation> fixture;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
        fixture.registerInjectableResource(new RecordTextChain());
        // these conversations stay within the messages the aggregate remembers: the ledger holds nothing older
        fixture.registerInjectableResource(new InMemoryMessageLedger());
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    private ConversationStarted direct() {
        return new ConversationStarted(DIRECT, ConversationKind.DIRECT, SEEKER, List.of(RECRUITER, SEEKER), null, now, 0);
    }

    private ConversationStarted group() {
        return new ConversationStarted(GROUP, ConversationKind.GROUP, RECRUITER, List.of(RECRUITER, MANAGER, SEEKER),
                "Interview panel", now, 0);
    }

    private MessageSent sent(ConversationId conversation, String clientId, UserId sender, long seq) {
        var client = ClientMessageId.of(clientId);
        return new MessageSent(conversation, MessageId.of(conversation, sender, client), client, sender, "text " + clientId, now, seq);
    }

    private static MessageId messageId(ConversationId conversation, UserId sender, String clientId) {
        return MessageId.of(conversation, sender, ClientMessageId.of(clientId));
    }

    // --- job links ---

    @Test
    void contactingAboutAJobLinksItOnce() {
        fixture.given(direct())
                .when(new LinkJob(DIRECT, SEEKER, JAVA_JOB))
                .expectEvents(new JobLinked(DIRECT, JAVA_JOB, SEEKER, now, 1));
        fixture.given(direct(), new JobLinked(DIRECT, JAVA_JOB, SEEKER, now, 1))
                .when(new LinkJob(DIRECT, RECRUITER, new JobReference("job-42", "Senior Java Engineer")))
                .expectNoEvents();
        var otherJob = new JobReference("job-7", "Kotlin Developer");
        fixture.given(direct(), new JobLinked(DIRECT, JAVA_JOB, SEEKER, now, 1))
                .when(new LinkJob(DIRECT, SEEKER, otherJob))
                .expectEvents(new JobLinked(DIRECT, otherJob, SEEKER, now, 2));
    }

    @Test
    void onlyParticipantsLinkJobs() {
        fixture.given(direct())
                .when(new LinkJob(DIRECT, OUTSIDER, JAVA_JOB))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    // --- groups ---

    @Test
    void aGroupStartsWithItsParticipantsAndAName() {
        fixture.givenNoPriorActivity()
                .when(new StartConversation(GROUP, ConversationKind.GROUP, RECRUITER, List.of(RECRUITER, MANAGER, SEEKER),
                        " Interview panel "))
                .expectEvents(group());
    }

    @Test
    void aGroupNeedsANameAndAtLeastTwoPeople() {
        fixture.givenNoPriorActivity()
                .when(new StartConversation(GROUP, ConversationKind.GROUP, RECRUITER, List.of(RECRUITER, SEEKER), "  "))
                .expectException(violation(DomainError.INVALID_TITLE));
        fixture.givenNoPriorActivity()
                .when(new StartConversation(GROUP, ConversationKind.GROUP, RECRUITER, List.of(RECRUITER), "Alone"))
                .expectException(violation(DomainError.INVALID_PARTICIPANTS))
                .expectNoEvents();
    }

    @Test
    void participantsAddOthersOnceAndOutsidersCannot() {
        fixture.given(group())
                .when(new AddParticipant(GROUP, MANAGER, OUTSIDER))
                .expectEvents(new ParticipantAdded(GROUP, OUTSIDER, MANAGER, now, 1));
        fixture.given(group())
                .when(new AddParticipant(GROUP, MANAGER, SEEKER))
                .expectNoEvents();
        fixture.given(group())
                .when(new AddParticipant(GROUP, OUTSIDER, OUTSIDER))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void aDirectConversationKeepsItsTwoPeople() {
        fixture.given(direct())
                .when(new AddParticipant(DIRECT, SEEKER, OUTSIDER))
                .expectException(violation(DomainError.NOT_A_GROUP));
        fixture.given(direct())
                .when(new RemoveParticipant(DIRECT, SEEKER, RECRUITER))
                .expectException(violation(DomainError.NOT_A_GROUP))
                .expectNoEvents();
        // an outsider is refused as an outsider, before the conversation's kind is told
        fixture.given(direct())
                .when(new AddParticipant(DIRECT, OUTSIDER, OUTSIDER))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
        fixture.given(direct())
                .when(new RemoveParticipant(DIRECT, OUTSIDER, RECRUITER))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void aRemovedParticipantCanNoLongerSendOrRead() {
        var removed = new ParticipantRemoved(GROUP, SEEKER, RECRUITER, now, 2);
        fixture.given(group(), sent(GROUP, "c-1", SEEKER, 1))
                .when(new RemoveParticipant(GROUP, RECRUITER, SEEKER))
                .expectEvents(removed);
        fixture.given(group(), sent(GROUP, "c-1", SEEKER, 1), removed)
                .when(new SendMessage(GROUP, SEEKER, ClientMessageId.of("c-2"), "still here?"))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
        fixture.given(group(), sent(GROUP, "c-1", SEEKER, 1), removed)
                .when(new MarkRead(GROUP, SEEKER, 1))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT));
        fixture.given(group(), sent(GROUP, "c-1", SEEKER, 1), removed)
                .when(new RemoveParticipant(GROUP, RECRUITER, SEEKER))
                .expectNoEvents();
    }

    @Test
    void aParticipantMayLeave() {
        fixture.given(group())
                .when(new RemoveParticipant(GROUP, MANAGER, MANAGER))
                .expectEvents(new ParticipantRemoved(GROUP, MANAGER, MANAGER, now, 1));
    }

    // --- edits ---

    @Test
    void theAuthorEditsTheirMessage() {
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new EditMessage(DIRECT, SEEKER, messageId(DIRECT, SEEKER, "c-1"), "fixed typo"))
                .expectEvents(new MessageEdited(DIRECT, messageId(DIRECT, SEEKER, "c-1"), 1, SEEKER, "fixed typo", now, 2));
    }

    @Test
    void nobodyElseEditsAMessage() {
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new EditMessage(DIRECT, RECRUITER, messageId(DIRECT, SEEKER, "c-1"), "put words in mouth"))
                .expectException(violation(DomainError.NOT_THE_AUTHOR))
                .expectNoEvents();
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new EditMessage(DIRECT, OUTSIDER, messageId(DIRECT, SEEKER, "c-1"), "hi"))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT));
    }

    @Test
    void editsNeedAnExistingVisibleMessageAndValidText() {
        fixture.given(direct())
                .when(new EditMessage(DIRECT, SEEKER, messageId(DIRECT, SEEKER, "never-sent"), "text"))
                .expectException(violation(DomainError.UNKNOWN_MESSAGE));
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1),
                        new MessageRedacted(DIRECT, messageId(DIRECT, SEEKER, "c-1"), 1, SEEKER, false, now, 2))
                .when(new EditMessage(DIRECT, SEEKER, messageId(DIRECT, SEEKER, "c-1"), "resurrect"))
                .expectException(violation(DomainError.MESSAGE_REDACTED));
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new EditMessage(DIRECT, SEEKER, messageId(DIRECT, SEEKER, "c-1"), ""))
                .expectException(violation(DomainError.EMPTY_TEXT))
                .expectNoEvents();
    }

    // --- redactions ---

    @Test
    void theAuthorOrAnAdminRedacts() {
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new RedactMessage(DIRECT, SEEKER, false, messageId(DIRECT, SEEKER, "c-1")))
                .expectEvents(new MessageRedacted(DIRECT, messageId(DIRECT, SEEKER, "c-1"), 1, SEEKER, false, now, 2));
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new RedactMessage(DIRECT, ADMIN, true, messageId(DIRECT, SEEKER, "c-1")))
                .expectEvents(new MessageRedacted(DIRECT, messageId(DIRECT, SEEKER, "c-1"), 1, ADMIN, true, now, 2));
    }

    @Test
    void anotherParticipantCannotRedact() {
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new RedactMessage(DIRECT, RECRUITER, false, messageId(DIRECT, SEEKER, "c-1")))
                .expectException(violation(DomainError.NOT_ALLOWED))
                .expectNoEvents();
    }

    @Test
    void redactingAnUnknownMessageIsRefusedAndRedactingTwiceChangesNothing() {
        fixture.given(direct())
                .when(new RedactMessage(DIRECT, SEEKER, false, messageId(DIRECT, SEEKER, "nope")))
                .expectException(violation(DomainError.UNKNOWN_MESSAGE));
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1),
                        new MessageRedacted(DIRECT, messageId(DIRECT, SEEKER, "c-1"), 1, SEEKER, false, now, 2))
                .when(new RedactMessage(DIRECT, SEEKER, false, messageId(DIRECT, SEEKER, "c-1")))
                .expectNoEvents();
    }

    // --- read state ---

    @Test
    void aParticipantMarksMessagesRead() {
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1), sent(DIRECT, "c-2", SEEKER, 2))
                .when(new MarkRead(DIRECT, RECRUITER, 2))
                .expectEvents(new MessagesRead(DIRECT, RECRUITER, 2, now, 3));
    }

    @Test
    void readingNeverGoesBackwardsAndNeverPastTheEnd() {
        var read = new MessagesRead(DIRECT, RECRUITER, 2, now, 3);
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1), sent(DIRECT, "c-2", SEEKER, 2), read)
                .when(new MarkRead(DIRECT, RECRUITER, 1))
                .expectNoEvents();
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new MarkRead(DIRECT, RECRUITER, 99))
                .expectException(violation(DomainError.INVALID_READ_POSITION))
                .expectNoEvents();
    }

    @Test
    void readingToTheEndCountsUpToTheLastMessageSoReceiptsDoNotChaseThemselves() {
        var firstRead = new MessagesRead(DIRECT, RECRUITER, 1, now, 2);
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1), firstRead)
                .when(new MarkRead(DIRECT, RECRUITER, 2))
                .expectNoEvents();
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1), firstRead,
                        new MessagesRead(DIRECT, SEEKER, 1, now, 3))
                .when(new MarkRead(DIRECT, SEEKER, 3))
                .expectNoEvents();
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1), firstRead, sent(DIRECT, "c-2", SEEKER, 3))
                .when(new MarkRead(DIRECT, RECRUITER, 3))
                .expectEvents(new MessagesRead(DIRECT, RECRUITER, 3, now, 4));
    }

    @Test
    void aNonParticipantCannotMarkRead() {
        fixture.given(direct(), sent(DIRECT, "c-1", SEEKER, 1))
                .when(new MarkRead(DIRECT, OUTSIDER, 1))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void theConversationSaysWhoIsInItNowAndChangesNothingByBeingAsked() {
        var removed = new ParticipantRemoved(GROUP, SEEKER, RECRUITER, now, 1);
        var added = new ParticipantAdded(GROUP, OUTSIDER, MANAGER, now, 2);
        fixture.given(group())
                .when(new CheckParticipant(GROUP, SEEKER))
                .expectResultMessagePayload(true)
                .expectNoEvents();
        fixture.given(group(), removed)
                .when(new CheckParticipant(GROUP, SEEKER))
                .expectResultMessagePayload(false)
                .expectNoEvents();
        fixture.given(group(), removed, added)
                .when(new CheckParticipant(GROUP, OUTSIDER))
                .expectResultMessagePayload(true);
        fixture.given(group())
                .when(new CheckParticipant(GROUP, OUTSIDER))
                .expectResultMessagePayload(false);
    }
}
