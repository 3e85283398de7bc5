package com.hirechat.commands.writepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationCommands.AddParticipant;
import com.hirechat.domain.ConversationCommands.EditMessage;
import com.hirechat.domain.ConversationCommands.LinkJob;
import com.hirechat.domain.ConversationCommands.MarkRead;
import com.hirechat.domain.ConversationCommands.RedactMessage;
import com.hirechat.domain.ConversationCommands.RemoveParticipant;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.JobReference;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.Profile;
import com.hirechat.domain.ProfileRole;
import com.hirechat.domain.PutUserProfile;
import com.hirechat.domain.SendMessage;
import com.hirechat.domain.StartConversation;
import com.hirechat.domain.UserId;

/** The cached resolver names the same target as Axon's annotation resolver, command after command. */
class CachingCommandTargetResolverTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    private static final MessageId MESSAGE = MessageId.of(UUID.randomUUID().toString());

    private final CachingCommandTargetResolver cached = new CachingCommandTargetResolver();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    static List<Object> everyCommand() {
        var group = StartConversation.group(SEEKER, List.of(RECRUITER, UserId.of("hiring-manager")), "Hiring");
        return List.of(
                StartConversation.direct(SEEKER, RECRUITER),
                group,
                new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), "hello"),
                new SendMessage(group.conversationId(), RECRUITER, ClientMessageId.of("c-2"), "welcome"),
                new LinkJob(DIRECT, SEEKER, new JobReference("job-7", "Backend engineer")),
                new AddParticipant(group.conversationId(), SEEKER, UserId.of("someone")),
                new RemoveParticipant(group.conversationId(), SEEKER, UserId.of("someone")),
                new EditMessage(DIRECT, SEEKER, MESSAGE, "hello again"),
                new RedactMessage(DIRECT, SEEKER, false, MESSAGE),
                new MarkRead(DIRECT, RECRUITER, 3),
                new PutUserProfile(SEEKER, new Profile("Sam", null, ProfileRole.SEEKER)));
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void namesTheSameTargetAsAxon(Object command) {
        var message = GenericCommandMessage.asCommandMessage(command);
        for (var attempt = 0; attempt < 3; attempt++) { // the first computes the accessor, the others reuse it
            var target = cached.resolveTarget(message);
            var expected = axon.resolveTarget(message);
            assertThat(target.getIdentifier()).isEqualTo(expected.getIdentifier());
            assertThat(target.getVersion()).isEqualTo(expected.getVersion());
        }
    }

    @Test
    void differentCommandsOfOneTypeGetTheirOwnTargets() {
        var other = ConversationId.direct(SEEKER, UserId.of("other-company"));
        var first = cached.resolveTarget(GenericCommandMessage.asCommandMessage(new MarkRead(DIRECT, SEEKER, 1)));
        var second = cached.resolveTarget(GenericCommandMessage.asCommandMessage(new MarkRead(other, SEEKER, 1)));
        assertThat(first.getIdentifier()).isEqualTo(DIRECT.toString());
        assertThat(second.getIdentifier()).isEqualTo(other.toString());
    }

    /** A versioned command, which the cache leaves to Axon. */
    public record Versioned(@TargetAggregateIdentifier String id, @TargetAggregateVersion Long version) {
    }

    @Test
    void aTargetVersionIsKept() {
        var target = cached.resolveTarget(GenericCommandMessage.asCommandMessage(new Versioned("agg-1", 4L)));
        assertThat(target.getIdentifier()).isEqualTo("agg-1");
        assertThat(target.getVersion()).isEqualTo(4L);
    }

    @Test
    void aMissingIdentifierIsRefusedAsAxonRefusesIt() {
        var message = GenericCommandMessage.asCommandMessage(new Versioned(null, null));
        assertThatThrownBy(() -> cached.resolveTarget(message))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not identify the target aggregate");
    }
}
