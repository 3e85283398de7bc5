package com.hirechat.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import io.helidon.http.Headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageText;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ReadModelQueries;
import com.hirechat.projections.TutorialSends;
import com.hirechat.projections.feed.ConversationEventFeed;
import com.hirechat.web.socketio.Outgoing;
import com.hirechat.web.socketio.SocketIoConnection;
import com.hirechat.web.socketio.SocketIoHandler;

/**
 * The tutorial's Socket.IO events on HireChat (docs/migrating-from-the-tutorial.md): {@code join_room} subscribes to the
 * direct conversation through {@link RoomHub}, {@code send_message} is a {@code send}, and recovery resumes every room
 * from the seqs the client's offset names.
 */
final class SocketIoChat implements SocketIoHandler {

    private static final Logger LOG = Logger.getLogger(SocketIoChat.class.getName());
    static final int MAX_ROOMS = 100;
    private static final Duration REPLAY_PATIENCE = Duration.ofSeconds(10);
    private static final Pattern PID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final int MAX_OFFSET_CHARS = 16 * 1024;

    /** Every code a CONNECT_ERROR carries (docs/protocol.md). */
    static final List<String> CONNECT_CODES = List.of("unauthenticated", "invalid_token", "forbidden_origin",
            "too_many_connections", "invalid_namespace");

    private final Authenticator authenticator;
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final ConversationEventFeed feed;
    private final RoomHub hub;
    private final RateLimiter rateLimiter;
    private final ConnectionLimiter connectionLimiter;
    private final ServerSettings settings;
    private final TutorialDoubleSend doubleSend;

    SocketIoChat(Authenticator authenticator, ChatCommands commands, ReadModelQueries queries,
                 ConversationEventFeed feed, RoomHub hub, RateLimiter rateLimiter, ConnectionLimiter connectionLimiter,
                 ServerSettings settings, TutorialDoubleSend doubleSend) {
        this.authenticator = authenticator;
        this.commands = commands;
        this.queries = queries;
        this.feed = feed;
        this.hub = hub;
        this.rateLimiter = rateLimiter;
        this.connectionLimiter = connectionLimiter;
        this.settings = settings;
        this.doubleSend = doubleSend;
    }

    @Override
    public Accepted connect(SocketIoConnection connection, JsonNode payload, Headers handshake) {
        UserId user;
        try {
            OriginPolicy.check(settings.allowedOrigins(), handshake);
            var token = payload.path("token");
            if (!token.isTextual() || token.textValue().isEmpty()) {
                throw new ApiException(401, "unauthenticated", "io({auth: {token}}) is required");
            }
            user = authenticator.requireToken(token.textValue()).user();
            connectionLimiter.acquire(user);
        } catch (ApiException e) {
            throw new Refused(e.code(), e.getMessage());
        }
        var client = new Client(user, connection);
        var pid = payload.path("pid").textValue();
        var offset = Offsets.decode(payload.path("offset").textValue());
        if (pid != null && PID.matcher(pid).matches() && offset != null) {
            // recovery: every room of the offset resumes after the seq the client last saw of it
            return new Accepted(pid, client, () -> offset.forEach((room, seq) -> client.rejoin(room, seq)));
        }
        return new Accepted(UUID.randomUUID().toString(), client, () -> {
        });
    }

    /** The recovery offset: for each room, the seq of the last event the client was sent, as Base64url JSON. */
    static final class Offsets {
        private Offsets() {
        }

        static String encode(Map<String, Long> seqs) {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Json.write(new TreeMap<>(seqs)).getBytes(StandardCharsets.UTF_8));
        }

        /** The rooms and seqs, or null when the text is no offset of ours (recovery then fails: a fresh session). */
        static Map<String, Long> decode(String text) {
            if (text == null || text.length() > MAX_OFFSET_CHARS) {
                return null;
            }
            try {
                var object = Json.parseObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
                if (object.size() > MAX_ROOMS) {
                    return null;
                }
                var seqs = new LinkedHashMap<String, Long>();
                for (var entry : object.properties()) {
                    if (!entry.getValue().canConvertToLong() || !entry.getValue().isIntegralNumber()
                            || entry.getValue().longValue() < 0) {
                        return null;
                    }
                    seqs.put(entry.getKey(), entry.getValue().longValue());
                }
                return seqs;
            } catch (IllegalArgumentException | ApiException e) {
                return null;
            }
        }
    }

    /** One connected client: its rooms, and the sink its subscriptions deliver to. */
    private final class Client implements Listener, FrameSink {
        private final UserId user;
        private final SocketIoConnection connection;
        /** Joined rooms by conversation: the name the client used, and the subscription. */
        private final Map<ConversationId, Joined> rooms = new ConcurrentHashMap<>();
        /** Conversations this client found started (and so its own: the room's name has the caller in it). */
        private final java.util.Set<ConversationId> started = ConcurrentHashMap.newKeySet();
        /** The room name each conversation was joined as, set before its subscription delivers anything. */
        private final Map<ConversationId, String> names = new ConcurrentHashMap<>();
        /** Per room, the seq of the last event rendered for the client; only the connection's writer changes it. */
        private final Map<String, Long> seqs = new ConcurrentHashMap<>();

        private record Joined(String room, Subscription subscription) {
        }

        Client(UserId user, SocketIoConnection connection) {
            this.user = user;
            this.connection = connection;
        }

        // --- events from the client ---

        @Override
        public void onEvent(String name, ArrayNode args, Long ackId) {
            try {
                switch (name) {
                    case "join_room" -> join(roomArgument(args), ackId);
                    case "send_message" -> send(args, ackId);
                    default -> throw ApiException.badRequest("unknown_event", "unknown event");
                }
            } catch (RuntimeException e) {
                refuse(name, Failures.describe(e), ackId);
            }
        }

        @Override
        public void onOversizedEvent(Long ackId) {
            refuse(null, ApiException.badRequest("frame_too_large", "packets are limited to "
                    + settings.maxFrameChars() + " characters"), ackId);
        }

        @Override
        public void onDisconnect(String reason) {
            connectionLimiter.release(user);
            rooms.values().forEach(joined -> hub.unsubscribe(joined.subscription()));
            rooms.clear();
        }

        private void refuse(String event, ApiException failure, Long ackId) {
            var error = SocketErrors.socketIoError(failure);
            var body = new LinkedHashMap<String, Object>();
            body.put("ok", false);
            body.put("error", error.code());
            body.put("message", error.getMessage());
            if (ackId != null) {
                connection.ack(ackId, List.of(body));
            } else {
                body.put("event", event);
                connection.emit("chat_error", List.of(body));
            }
        }

        private String roomArgument(ArrayNode args) {
            var room = args.path(0);
            if (room.isMissingNode() || room.isNull()) {
                throw ApiException.badRequest("missing_field", "join_room takes the room's name");
            }
            if (!room.isTextual()) {
                throw ApiException.badRequest("invalid_field", "a room's name is a string");
            }
            return room.textValue();
        }

        private TutorialRoom room(String name) {
            var room = TutorialRoom.parse(name, user);
            // a direct conversation keeps its two participants for good: once seen started, no need to ask again
            if (!started.contains(room.conversation())) {
                if (!queries.isParticipant(room.conversation(), user)) {
                    // like "Contact recruiter": the direct conversation of the two is started (idempotently) on first use
                    commands.startDirect(user, room.counterpart());
                }
                started.add(room.conversation());
            }
            return room;
        }

        private void join(String name, Long ackId) {
            var conversation = TutorialRoom.parse(name, user).conversation();
            if (!rooms.containsKey(conversation) && rooms.size() >= MAX_ROOMS) {
                throw ApiException.badRequest("too_many_rooms", "at most " + MAX_ROOMS + " rooms per connection");
            }
            var room = room(name);
            subscribe(room, feed.lastSeq(conversation), true, ackId);
        }

        /** Recovery: back into a room of the offset, after the seq the client had; one it may no longer see is left out. */
        void rejoin(String name, long afterSeq) {
            try {
                var room = TutorialRoom.parse(name, user);
                if (!queries.isParticipant(room.conversation(), user)) {
                    return;
                }
                subscribe(room, afterSeq, false, null);
            } catch (RuntimeException e) {
                LOG.fine(() -> "a recovered room was left out: " + e.getMessage());
            }
        }

        private void subscribe(TutorialRoom room, long afterSeq, boolean announce, Long ackId) {
            var conversation = room.conversation();
            var previous = rooms.remove(conversation);
            if (previous != null) {
                hub.unsubscribe(previous.subscription());
                if (!previous.room().equals(room.name())) {
                    // joined again by the other spelling: one room per conversation in the offset
                    connection.queue(() -> {
                        seqs.remove(previous.room());
                        return null;
                    });
                }
            }
            names.put(conversation, room.name());
            var ack = new LinkedHashMap<String, Object>();
            ack.put("ok", true);
            ack.put("roomId", room.name());
            ack.put("conversationId", conversation.value());
            // in place before any replayed event: the room's seq is where the offset starts
            Runnable inPlace = () -> {
                connection.queue(() -> {
                    seqs.put(room.name(), afterSeq);
                    return announce ? SocketIoConnection.event("room_joined", List.of(ack, offset())) : null;
                });
                if (ackId != null) {
                    connection.ack(ackId, List.of(ack));
                }
            };
            var subscription = hub.subscribe(conversation, user, this, OptionalLong.of(afterSeq), inPlace, ended -> {
                rooms.remove(conversation);
                names.remove(conversation);
                hub.unsubscribe(ended);
            });
            rooms.put(conversation, new Joined(room.name(), subscription));
        }

        private void send(ArrayNode args, Long ackId) {
            var data = args.path(0);
            if (!data.isObject()) {
                throw ApiException.badRequest("invalid_field", "send_message takes an object");
            }
            var room = Json.requiredText(data, "roomId");
            var text = MessageText.require(Json.requiredText(data, "text"));
            // the input is checked before the room's conversation may be started: a refused message starts nothing
            var given = data.hasNonNull("clientMessageId")
                    ? Json.requiredValue(data, "clientMessageId", ClientMessageId::of) : null;
            var target = room(room);
            var conversation = target.conversation();
            var clientMessageId = given != null ? given
                    : doubleSend.clientMessageId(conversation, user, text,
                            TutorialSends.Channel.SOCKET);
            rateLimiter.acquire(user);
            var accepted = commands.send(conversation, user, clientMessageId, text);
            if (ackId != null) {
                var answer = new LinkedHashMap<String, Object>();
                answer.put("ok", true);
                answer.put("roomId", room);
                answer.put("conversationId", conversation.value());
                answer.put("clientMessageId", clientMessageId.value());
                answer.put("messageId", accepted.messageId().value());
                answer.put("seq", accepted.seq());
                answer.put("sentAt", accepted.sentAt());
                connection.ack(ackId, List.of(Json.MAPPER.valueToTree(answer)));
            }
        }

        // --- what the subscriptions deliver ---

        @Override
        public boolean send(ServerFrame frame) {
            var item = render(frame);
            return item == null || connection.queue(item);
        }

        @Override
        public boolean sendWaiting(ServerFrame frame, Duration patience) {
            var item = render(frame);
            return item == null || connection.queueWaiting(item, patience);
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void closeForBacklog() {
            connection.closeForBacklog();
        }

        /**
         * A stored event's frame as the client sees it: others' messages as {@code receive_message}; every event
         * (also those not shown: own messages, edits, read marks) moves the room's seq, so the offset follows it.
         */
        private Outgoing render(ServerFrame frame) {
            var seq = seqOf(frame);
            if (seq < 0) {
                return null; // typing and other frames outside the sequence
            }
            var room = names.get(ConversationId.of(conversationOf(frame)));
            if (room == null) {
                return null;
            }
            return () -> {
                seqs.put(room, seq);
                if (!(frame instanceof ServerFrame.Message message) || message.senderId().equals(user.value())) {
                    return null;
                }
                var data = new LinkedHashMap<String, Object>();
                data.put("roomId", room);
                data.put("senderId", message.senderId());
                data.put("recipientId", user.value());
                data.put("text", message.text());
                data.put("seq", message.seq());
                data.put("messageId", message.messageId());
                data.put("clientMessageId", message.clientMessageId());
                data.put("sentAt", message.sentAt().toString());
                data.put("conversationId", message.conversationId());
                data.put("erased", message.erased());
                return SocketIoConnection.event("receive_message", List.of(data, offset()));
            };
        }

        private String offset() {
            return Offsets.encode(seqs);
        }
    }

    private static long seqOf(ServerFrame frame) {
        return switch (frame) {
            case ServerFrame.Message f -> f.seq();
            case ServerFrame.Edited f -> f.seq();
            case ServerFrame.Redacted f -> f.seq();
            case ServerFrame.Read f -> f.seq();
            case ServerFrame.ParticipantAdded f -> f.seq();
            case ServerFrame.ParticipantRemoved f -> f.seq();
            case ServerFrame.JobLinked f -> f.seq();
            default -> -1;
        };
    }

    private static String conversationOf(ServerFrame frame) {
        return switch (frame) {
            case ServerFrame.Message f -> f.conversationId();
            case ServerFrame.Edited f -> f.conversationId();
            case ServerFrame.Redacted f -> f.conversationId();
            case ServerFrame.Read f -> f.conversationId();
            case ServerFrame.ParticipantAdded f -> f.conversationId();
            case ServerFrame.ParticipantRemoved f -> f.conversationId();
            case ServerFrame.JobLinked f -> f.conversationId();
            default -> throw new IllegalArgumentException("no conversation");
        };
    }
}
