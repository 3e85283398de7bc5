package com.hirechat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one run sent and what every client observed: send stamps, acks, deliveries per recipient, from which
 * come the latencies and the lost / duplicated / out-of-order counts.
 */
final class Recorder {

    /** A message as sent: its conversation, its sender (a user index) and the {@link System#nanoTime()} stamp. */
    record Sent(int conversation, int sender, long sentNanos) {
    }

    /** Called on every first ack, e.g. so a closed-loop sender sends its next message. */
    interface AckHook {
        void acked(int sender, String clientMessageId);
    }

    private final List<int[]> members;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final LongSamples endToEnd = new LongSamples();
    private final LongSamples ackLatency = new LongSamples();
    private final AtomicLong duplicateAcks = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final Map<String, AtomicInteger> refusalCodes = new ConcurrentHashMap<>();
    private final List<ClientEvents> clients = new ArrayList<>();
    private volatile boolean recording = true;
    private volatile AckHook hook = (sender, id) -> { };

    /** @param members the user indices of each conversation's participants, by conversation index */
    Recorder(List<int[]> members, int users) {
        this.members = members;
        for (var user = 0; user < users; user++) {
            clients.add(new ClientEvents(user));
        }
    }

    ChatClient.Events events(int user) {
        return clients.get(user);
    }

    void onAck(AckHook hook) {
        this.hook = hook;
    }

    /** Latencies are only kept while recording (warm-up messages are checked for loss but not timed). */
    void recording(boolean on) {
        recording = on;
    }

    /** Stamps a message just before it is handed to the client. */
    void sending(String clientMessageId, int conversation, int sender) {
        sent.put(clientMessageId, new Sent(conversation, sender, System.nanoTime()));
    }

    int sentCount() {
        return sent.size();
    }

    int ackedCount() {
        return acked.size();
    }

    long ackedBefore(long deadlineNanos) {
        return acked.values().stream().filter(at -> at <= deadlineNanos).count();
    }

    /** Deliveries still expected: each sent message, once at each participant but its sender. */
    long expectedDeliveries() {
        return sent.values().stream().mapToLong(s -> members.get(s.conversation()).length - 1).sum();
    }

    long distinctDeliveries() {
        return clients.stream().mapToLong(c -> c.received.size()).sum();
    }

    Latencies endToEnd() {
        return Latencies.of(endToEnd.toArray());
    }

    Latencies ackLatency() {
        return Latencies.of(ackLatency.toArray());
    }

    long[] endToEndSamples() {
        return endToEnd.toArray();
    }

    long[] ackSamples() {
        return ackLatency.toArray();
    }

    Map<String, Sent> sent() {
        return sent;
    }

    /** Lost, duplicated and out-of-order deliveries, and acks missing or repeated. */
    Integrity integrity() {
        long lost = 0;
        long duplicated = 0;
        for (var entry : sent.entrySet()) {
            var message = entry.getValue();
            for (var member : members.get(message.conversation())) {
                if (member == message.sender()) {
                    continue;
                }
                var count = clients.get(member).received.get(entry.getKey());
                if (count == null) {
                    lost++;
                } else if (count.get() > 1) {
                    duplicated += count.get() - 1;
                }
            }
        }
        var outOfOrder = clients.stream().mapToLong(c -> c.outOfOrder.get()).sum();
        return new Integrity(sent.size(), sent.size() - acked.size(), duplicateAcks.get(), lost, duplicated,
                outOfOrder, refusals.get(), disconnects.get(), Map.copyOf(refusalCodes.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
    }

    /** The run's integrity: every count but {@code sent} must be 0. */
    record Integrity(long sent, long unacked, long duplicateAcks, long lost, long duplicated, long outOfOrder,
                     long refused, long disconnects, Map<String, Integer> refusalCodes) {
        boolean clean() {
            return unacked == 0 && duplicateAcks == 0 && lost == 0 && duplicated == 0 && outOfOrder == 0;
        }
    }

    /** One user's observations; a client's callbacks come one at a time, but the checks read from other threads. */
    private final class ClientEvents implements ChatClient.Events {
        private final int user;
        private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
        private final AtomicLong outOfOrder = new AtomicLong();

        ClientEvents(int user) {
            this.user = user;
        }

        @Override
        public void acked(String clientMessageId, long atNanos) {
            var message = sent.get(clientMessageId);
            if (message == null) {
                return;
            }
            if (acked.putIfAbsent(clientMessageId, atNanos) != null) {
                duplicateAcks.incrementAndGet();
                return;
            }
            if (recording) {
                ackLatency.add(atNanos - message.sentNanos());
            }
            hook.acked(message.sender(), clientMessageId);
        }

        @Override
        public void delivered(String conversationId, long seq, String clientMessageId, String senderId, long atNanos) {
            var message = sent.get(clientMessageId);
            if (message == null) {
                // not this run's message (e.g. another run's in the same conversation): not counted
                return;
            }
            if (seq >= 0) {
                var previous = lastSeq.put(conversationId, seq);
                if (previous != null && seq != previous + 1) {
                    outOfOrder.incrementAndGet();
                }
            }
            if (message.sender() == user) {
                // HireChat echoes a message to its sender too; the latency that matters is at the others
                return;
            }
            var count = received.computeIfAbsent(clientMessageId, id -> new AtomicInteger()).incrementAndGet();
            if (count == 1 && recording) {
                endToEnd.add(atNanos - message.sentNanos());
            }
        }

        @Override
        public void refused(String code, String clientMessageId) {
            refusals.incrementAndGet();
            refusalCodes.computeIfAbsent(String.valueOf(code), c -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void closed(String reason) {
            disconnects.incrementAndGet();
        }
    }
}
