package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.UserId;

/**
 * The inbox's bookkeeping of who takes part in what, where the socket tests cannot aim: membership that changes
 * while a subscription is still reading the user's conversations, and events delivered twice or out of order.
 */
class InboxHubTest {

    private static final UserId OWNER = UserId.of("owner");
    private static final UserId MEMBER = UserId.of("member");
    private static final UserId PROBE = UserId.of("probe");
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private InboxHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** The frames one subscription received. */
    private static final class Recorder implements InboxHub.Sink {
        final List<ServerFrame.Inbox> frames = new CopyOnWriteArrayList<>();
        final List<ServerFrame> all = new CopyOnWriteArrayList<>();

        @Override
        public boolean send(ServerFrame frame) {
            all.add(frame);
            if (frame instanceof ServerFrame.Inbox inbox) {
                frames.add(inbox);
            }
            return true;
        }

        List<Long> seqsOf(ConversationId conversation) {
            return frames.stream().filter(frame -> frame.conversationId().equals(conversation.value()))
                    .map(frame -> seq(frame.event())).toList();
        }
    }

    private static long seq(ServerFrame frame) {
        return switch (frame) {
            case ServerFrame.Started started -> started.seq();
            case ServerFrame.Message message -> message.seq();
            case ServerFrame.ParticipantAdded added -> added.seq();
            case ServerFrame.ParticipantRemoved removed -> removed.seq();
            case ServerFrame.JobLinked linked -> linked.seq();
            default -> throw new AssertionError(frame);
        };
    }

    private static ConversationId conversation() {
        return ConversationId.of(UUID.randomUUID().toString());
    }

    private static ConversationStarted group(ConversationId conversation, UserId... participants) {
        return new ConversationStarted(conversation, ConversationKind.GROUP, OWNER, List.of(participants), "Panel", T0, 0);
    }

    private static ConversationEvents.ParticipantAdded added(ConversationId conversation, UserId user, long seq) {
        return new ConversationEvents.ParticipantAdded(conversation, user, OWNER, T0.plusSeconds(seq), seq);
    }

    private static ConversationEvents.ParticipantRemoved removed(ConversationId conversation, UserId user, long seq) {
        return new ConversationEvents.ParticipantRemoved(conversation, user, OWNER, T0.plusSeconds(seq), seq);
    }

    private static ConversationEvents.JobLinked marker(ConversationId conversation, long seq) {
        return new ConversationEvents.JobLinked(conversation, new com.hirechat.domain.JobReference("job-" + seq, "Job"),
                OWNER, T0.plusSeconds(seq), seq);
    }

    /** Offers the events, then waits until the fan-out has handled them: a probe's own conversation comes after. */
    private void offerAndAwait(Recorder probe, ConversationId probeConversation, ConversationEvent... events) {
        for (var event : events) {
            hub.offer(event);
        }
        var before = probe.frames.size();
        hub.offer(marker(probeConversation, 1000 + before));
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.frames.size() > before);
    }

    @Test
    void membershipThatChangesWhileTheConversationsLoadOverridesWhatTheLoadSaw() {
        var leftMeanwhile = conversation();
        var joinedMeanwhile = conversation();
        var probeConversation = conversation();
        var probe = new Recorder();
        Function<UserId, Set<ConversationId>> participants = user -> user.equals(PROBE) ? Set.of(probeConversation)
                : loadWhile(() -> offerAndAwait(probe, probeConversation,
                        removed(leftMeanwhile, MEMBER, 3), added(joinedMeanwhile, MEMBER, 2)), Set.of(leftMeanwhile));
        hub = new InboxHub(participants);
        hub.subscribe(PROBE, probe, () -> { });

        var member = new Recorder();
        hub.subscribe(MEMBER, member, () -> member.send(new ServerFrame.InboxSubscribed()));
        // nothing of what happened before the confirmation reached the member
        assertThat(member.frames).isEmpty();
        assertThat(member.all).containsExactly(new ServerFrame.InboxSubscribed());

        offerAndAwait(probe, probeConversation,
                marker(leftMeanwhile, 4), marker(joinedMeanwhile, 5));
        assertThat(member.seqsOf(leftMeanwhile)).as("the stale load said member; the removal seen meanwhile wins")
                .isEmpty();
        assertThat(member.seqsOf(joinedMeanwhile)).as("joined while loading, so a member now").containsExactly(5L);
    }

    private static Set<ConversationId> loadWhile(Runnable meanwhile, Set<ConversationId> stale) {
        meanwhile.run();
        return stale;
    }

    @Test
    void aSecondDeliveryOrAnOvertakenEventIsDroppedAndARemovalEndsTheConversationAfterItsOwnFrame() {
        var panel = conversation();
        hub = new InboxHub(user -> Set.of());
        var member = new Recorder();
        var owner = new Recorder();
        hub.subscribe(MEMBER, member, () -> { });
        hub.subscribe(OWNER, owner, () -> { });
        var start = group(panel, OWNER, MEMBER);
        for (var event : List.of(start, start, marker(panel, 1), marker(panel, 1), added(panel, PROBE, 2))) {
            hub.offer(event);
        }
        hub.offer(added(panel, OWNER, 0)); // seq already seen: dropped although never delivered
        hub.offer(removed(panel, MEMBER, 3));
        hub.offer(added(panel, PROBE, 2)); // overtaken by seq 3: dropped
        hub.offer(marker(panel, 4));
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.seqsOf(panel).contains(4L));

        assertThat(owner.seqsOf(panel)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(member.seqsOf(panel)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(member.frames.getLast().event()).isInstanceOf(ServerFrame.ParticipantRemoved.class);
        var started = (ServerFrame.Started) owner.frames.getFirst().event();
        assertThat(started.participants()).containsExactly("owner", "member");
        assertThat(started.kind()).isEqualTo("GROUP");
        assertThat(started.title()).isEqualTo("Panel");
    }

    @Test
    void anUnsubscribedInboxGetsNothingAndTheHubForgetsIt() {
        var panel = conversation();
        hub = new InboxHub(user -> Set.of(panel));
        var member = new Recorder();
        var owner = new Recorder();
        var subscription = hub.subscribe(MEMBER, member, () -> { });
        hub.subscribe(OWNER, owner, () -> { });
        assertThat(hub.subscriptionCount()).isEqualTo(2);
        hub.unsubscribe(subscription);
        hub.unsubscribe(subscription); // twice is harmless
        assertThat(hub.subscriptionCount()).isOne();

        hub.offer(marker(panel, 7));
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.seqsOf(panel).contains(7L));
        assertThat(member.frames).isEmpty();
    }
}
