package com.hirechat.domain;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserAccountTest {

    private static final UserId ANNA = UserId.of("anna");
    private static final Profile RECRUITER = new Profile("Anna at Acme", "https://cdn.example/anna.png", ProfileRole.RECRUITER);

    private AggregateTestFixture<UserAccount> fixture;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(UserAccount.class);
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void theFirstProfileRegistersTheUser() {
        fixture.givenNoPriorActivity()
                .when(new PutUserProfile(ANNA, RECRUITER))
                .expectEvents(new UserRegistered(ANNA, RECRUITER, now));
    }

    @Test
    void aChangedProfileIsAnUpdateAndTheSameProfileIsNothing() {
        var renamed = new Profile("Anna Smith", null, ProfileRole.RECRUITER);
        fixture.given(new UserRegistered(ANNA, RECRUITER, now))
                .when(new PutUserProfile(ANNA, renamed))
                .expectEvents(new UserProfileUpdated(ANNA, renamed, now));
        fixture.given(new UserRegistered(ANNA, RECRUITER, now))
                .when(new PutUserProfile(ANNA, new Profile("Anna at Acme", "https://cdn.example/anna.png",
                        ProfileRole.RECRUITER)))
                .expectNoEvents();
    }

    @Test
    void invalidProfilesAreRefused() {
        assertThatThrownBy(() -> new Profile(" ", null, ProfileRole.SEEKER)).isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> new Profile("Eve", "javascript:alert(1)", ProfileRole.SEEKER))
                .isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> new Profile("Eve", null, null)).isInstanceOf(DomainRuleViolation.class);
    }

    @Test
    void anErasureIsRecordedOncePerRequestAndTheUserMayBeRegisteredAgainAfterIt() {
        var erased = new UserErased(ANNA, UserId.of("auditor"), "Art. 17", "request-1", java.util.List.of("k1", "k2"), now);
        fixture.given(new UserRegistered(ANNA, RECRUITER, now))
                .when(new EraseUser(ANNA, UserId.of("auditor"), "Art. 17", "request-1", java.util.List.of("k1", "k2")))
                .expectEvents(erased);
        // a resumed erasure sends the same request again: nothing more is recorded
        fixture.given(new UserRegistered(ANNA, RECRUITER, now), erased)
                .when(new EraseUser(ANNA, UserId.of("auditor"), "Art. 17", "request-1", java.util.List.of("k1", "k2")))
                .expectNoEvents();
        // the profile went with the erasure: the host site's next profile registers the user anew
        fixture.given(new UserRegistered(ANNA, RECRUITER, now), erased)
                .when(new PutUserProfile(ANNA, RECRUITER))
                .expectEvents(new UserRegistered(ANNA, RECRUITER, now));
    }

    @Test
    void theErasedPlaceholderIsNoNameAndNoText() {
        fixture.givenNoPriorActivity()
                .when(new PutUserProfile(ANNA, new Profile(Erased.TEXT, null, ProfileRole.SEEKER)))
                .expectException(DomainRuleViolation.class);
        assertThatThrownBy(() -> MessageText.require(Erased.TEXT)).isInstanceOf(DomainRuleViolation.class)
                .extracting(e -> ((DomainRuleViolation) e).error()).isEqualTo(DomainError.INVALID_TEXT);
    }
}
