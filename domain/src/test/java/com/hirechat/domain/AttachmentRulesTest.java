package com.hirechat.domain;

import static com.hirechat.domain.ConversationTest.violation;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A message's files: what the conversation records, and the rules of an attachment (issue 26). */
class AttachmentRulesTest {

    private static final UserId SEEKER = UserId.of("seeker-99");
    private static final UserId RECRUITER = UserId.of("recruiter-500");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    private static final Attachment CV = new Attachment("Lebenslauf.pdf", 48213, "application/pdf", "a".repeat(64));

    private AggregateTestFixture<Conversation> fixture;
    private java.time.Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
        fixture.registerInjectableResource(new RecordTextChain());
        fixture.registerInjectableResource(new InMemoryMessageLedger());
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    private ConversationStarted started() {
        return new ConversationStarted(DIRECT, ConversationKind.DIRECT, SEEKER, List.of(RECRUITER, SEEKER), null, now, 0);
    }

    @Test
    void aFileMayBeTheWholeMessageAndIsRecordedWithIt() {
        var client = ClientMessageId.of("f-1");
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, client, "", List.of(CV)))
                .expectEvents(new MessageSent(DIRECT, MessageId.of(DIRECT, SEEKER, client), client, SEEKER, "", now, 1,
                        List.of(CV)));
    }

    @Test
    void aTextAndFilesTogether() {
        var client = ClientMessageId.of("f-2");
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, client, "my CV", List.of(CV)))
                .expectEvents(new MessageSent(DIRECT, MessageId.of(DIRECT, SEEKER, client), client, SEEKER, "my CV", now,
                        1, List.of(CV)));
    }

    @Test
    void withoutFilesTheTextIsStillRequiredAndFilesDoNotExcuseABadText() {
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("f-3"), "", List.of()))
                .expectException(violation(DomainError.EMPTY_TEXT))
                .expectNoEvents();
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("f-4"), "x".repeat(MessageText.MAX_CODE_POINTS + 1),
                        List.of(CV)))
                .expectException(violation(DomainError.TEXT_TOO_LONG))
                .expectNoEvents();
    }

    @Test
    void atMostTenFilesAMessage() {
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("f-5"), "many",
                        Collections.nCopies(Attachment.MAX_PER_MESSAGE + 1, CV)))
                .expectException(violation(DomainError.TOO_MANY_ATTACHMENTS))
                .expectNoEvents();
    }

    @Test
    void onlyParticipantsSendFiles() {
        fixture.given(started())
                .when(new SendMessage(DIRECT, UserId.of("stranger"), ClientMessageId.of("f-6"), "", List.of(CV)))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void anAttachmentHasASafeNameABodyAMediaTypeAndAHash() {
        for (var name : List.of("", " ", "../cv.pdf", "a\\b.pdf", "a\nb.pdf", "..", "x".repeat(256))) {
            assertThatThrownBy(() -> new Attachment(name, 1, "application/pdf", "a".repeat(64))).as(name)
                    .isInstanceOfSatisfying(DomainRuleViolation.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.error()).isEqualTo(DomainError.INVALID_ATTACHMENT));
        }
        assertThatThrownBy(() -> new Attachment("cv.pdf", 0, "application/pdf", "a".repeat(64)))
                .isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> new Attachment("cv.pdf", 1, "pdf", "a".repeat(64))).isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> new Attachment("cv.pdf", 1, "application/pdf", "A".repeat(64)))
                .isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> new Attachment("cv.pdf", 1, "application/pdf", "a".repeat(63)))
                .isInstanceOf(DomainRuleViolation.class);
    }
}
