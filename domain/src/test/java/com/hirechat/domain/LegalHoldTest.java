package com.hirechat.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LegalHoldTest {

    private static final UserId COUNSEL = UserId.of("counsel");
    private static final HoldTarget ANNA = new HoldTarget(HoldTarget.Kind.USER, "anna");
    private static final String HOLD = "3f1c6c1e-7f47-4a8e-9a55-0b7b1b2c0c11";

    private AggregateTestFixture<LegalHold> fixture;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(LegalHold.class);
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void placingAHoldRecordsItsTargetAndMatter() {
        fixture.givenNoPriorActivity()
                .when(new PlaceLegalHold(HOLD, ANNA, "MATTER-2026/17", COUNSEL))
                .expectEvents(new LegalHoldPlaced(HOLD, ANNA, "MATTER-2026/17", COUNSEL, now));
    }

    @Test
    void placingTheSameHoldAgainIsNothingButAnotherTargetUnderItsIdIsRefused() {
        fixture.given(new LegalHoldPlaced(HOLD, ANNA, "M-1", COUNSEL, now))
                .when(new PlaceLegalHold(HOLD, ANNA, "M-1", COUNSEL))
                .expectNoEvents();
        fixture.given(new LegalHoldPlaced(HOLD, ANNA, "M-1", COUNSEL, now))
                .when(new PlaceLegalHold(HOLD, new HoldTarget(HoldTarget.Kind.USER, "ben"), "M-1", COUNSEL))
                .expectException(DomainRuleViolation.class);
    }

    @Test
    void aBadMatterReferenceIsRefused() {
        for (var matter : new String[] {"", " ", "Anna Smith's salary", "-leading-dash", "x".repeat(101), null}) {
            fixture.givenNoPriorActivity()
                    .when(new PlaceLegalHold(HOLD, ANNA, matter, COUNSEL))
                    .expectNoEvents()
                    .expectException(DomainRuleViolation.class)
                    .expectExceptionMessage(org.hamcrest.Matchers.containsString("'matter'"));
        }
    }

    @Test
    void releasingRecordsTheReleaseWithItsTargetAndMatter() {
        fixture.given(new LegalHoldPlaced(HOLD, ANNA, "M-1", COUNSEL, now))
                .when(new ReleaseLegalHold(HOLD, COUNSEL))
                .expectEvents(new LegalHoldReleased(HOLD, ANNA, "M-1", COUNSEL, now));
    }

    @Test
    void releasingTwiceIsRefused() {
        fixture.given(new LegalHoldPlaced(HOLD, ANNA, "M-1", COUNSEL, now),
                        new LegalHoldReleased(HOLD, ANNA, "M-1", COUNSEL, now))
                .when(new ReleaseLegalHold(HOLD, COUNSEL))
                .expectNoEvents()
                .expectException(DomainRuleViolation.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("was released"));
    }

    @Test
    void releasingAnUnknownHoldIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new ReleaseLegalHold(HOLD, COUNSEL))
                .expectNoEvents()
                .expectException(DomainRuleViolation.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("no hold"));
    }

    @Test
    void aConversationIsExpiredOncePerRequest() {
        var retention = new AggregateTestFixture<>(ConversationRetention.class);
        var conversation = ConversationId.of("0b9c3c8e-5a2f-4d0e-8f7a-1c2d3e4f5a6b");
        var at = retention.currentTime().truncatedTo(ChronoUnit.MICROS);
        var expired = new ConversationExpired(conversation, "DIRECT:30d", "r1", java.util.List.of("k1"), at);
        retention.givenNoPriorActivity()
                .when(new ExpireConversation(conversation, "DIRECT:30d", "r1", java.util.List.of("k1")))
                .expectEvents(expired);
        retention.given(expired)
                .when(new ExpireConversation(conversation, "DIRECT:30d", "r1", java.util.List.of("k1")))
                .expectNoEvents();
    }
}
