package com.hirechat.commands.writepath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.Conversation;

class GrowingSnapshotTriggerDefinitionTest {

    @Test
    void snapshotsAfterTheMinimumThenWhenTheConversationHasGrownByHalf() {
        var lengthsAtSnapshot = new ArrayList<Long>();
        var current = new long[1];
        var definition = new GrowingSnapshotTriggerDefinition((type, id) -> lengthsAtSnapshot.add(current[0]), 250);
        var trigger = definition.prepareTrigger(Conversation.class);

        for (long seq = 0; seq < 5_000; seq++) {
            current[0] = seq + 1;
            trigger.eventHandled(new GenericDomainEventMessage<>("Conversation", "c-1", seq, "event"));
        }

        // from 500 on, the events since the last snapshot must reach half the length: it doubles each time
        assertThat(lengthsAtSnapshot).isEqualTo(List.of(250L, 500L, 1_000L, 2_000L, 4_000L));
    }

    @Test
    void anInstanceLoadedFromASnapshotCountsFromThere() {
        var snapshots = new ArrayList<Long>();
        var current = new long[1];
        var trigger = new GrowingSnapshotTriggerDefinition((type, id) -> snapshots.add(current[0]), 250)
                .prepareTrigger(Conversation.class);

        // loaded from a snapshot taken at length 1,000 (the snapshot message, seq 999, is the first one counted),
        // then commands append: the next snapshot is due when the messages since make half the length
        for (long seq = 999; seq < 2_500; seq++) {
            current[0] = seq + 1;
            trigger.eventHandled(new GenericDomainEventMessage<>("Conversation", "c-1", seq, "event"));
        }

        assertThat(snapshots).containsExactly(1_998L);
    }
}
