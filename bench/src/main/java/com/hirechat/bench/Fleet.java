package com.hirechat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Connected users in two-person conversations: user 2k and 2k+1 share conversation k. The connections live
 * across runs; each run's observations go to that run's {@link Recorder}.
 */
final class Fleet implements AutoCloseable {

    final List<ChatClient> clients;
    final List<String> conversations;
    final List<int[]> members;
    private final Dispatch[] dispatch;

    private Fleet(List<ChatClient> clients, List<String> conversations, List<int[]> members, Dispatch[] dispatch) {
        this.clients = clients;
        this.conversations = conversations;
        this.members = members;
        this.dispatch = dispatch;
    }

    /** Creates the conversations, connects every user (a few hundred at a time) and subscribes them. */
    static Fleet open(Target target, String runTag, int conversationCount) throws Exception {
        var users = conversationCount * 2;
        var pairs = new ArrayList<String[]>();
        var members = new ArrayList<int[]>();
        for (var k = 0; k < conversationCount; k++) {
            pairs.add(new String[] {user(runTag, 2 * k), user(runTag, 2 * k + 1)});
            members.add(new int[] {2 * k, 2 * k + 1});
        }
        var conversations = target.createConversations(pairs);
        var dispatch = new Dispatch[users];
        var futures = new ArrayList<CompletableFuture<ChatClient>>();
        var gate = new Semaphore(200);
        for (var u = 0; u < users; u++) {
            dispatch[u] = new Dispatch();
            gate.acquire();
            var conversation = conversations.get(u / 2);
            futures.add(target.connect(user(runTag, u), dispatch[u])
                    .thenCompose(client -> client.subscribe(conversation, null).thenApply(ok -> client))
                    .whenComplete((client, failure) -> gate.release()));
        }
        var clients = futures.stream().map(CompletableFuture::join).toList();
        return new Fleet(clients, conversations, members, dispatch);
    }

    static String user(String runTag, int index) {
        return runTag + "-u" + index;
    }

    /** A recorder for the next run; from now on every client reports to it. */
    Recorder newRecorder() {
        var recorder = new Recorder(members, clients.size());
        for (var u = 0; u < dispatch.length; u++) {
            dispatch[u].to = recorder.events(u);
        }
        return recorder;
    }

    void pingAll() {
        clients.forEach(ChatClient::ping);
    }

    @Override
    public void close() {
        clients.forEach(ChatClient::close);
    }

    /** Forwards a client's events to the current run's recorder. */
    private static final class Dispatch implements ChatClient.Events {
        volatile ChatClient.Events to = ChatClient.Events.IGNORED;

        @Override
        public void acked(String clientMessageId, long atNanos) {
            to.acked(clientMessageId, atNanos);
        }

        @Override
        public void delivered(String conversationId, long seq, String clientMessageId, String senderId, long atNanos) {
            to.delivered(conversationId, seq, clientMessageId, senderId, atNanos);
        }

        @Override
        public void refused(String code, String clientMessageId) {
            to.refused(code, clientMessageId);
        }

        @Override
        public void closed(String reason) {
            to.closed(reason);
        }
    }
}
