package com.hirechat.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageText;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ReadModelQueries;

/**
 * One client's WebSocket connection: authenticated at the upgrade, then JSON frames in both directions
 * (see docs/protocol.md). Frames from one connection are handled one at a time, in order.
 */
final class ChatSocket implements WsListener {

    private static final Logger LOG = Logger.getLogger(ChatSocket.class.getName());
    private static final long TYPING_INTERVAL_NANOS = 2_000_000_000L;
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';
    private static final Duration FRAME_IN_HAND_PATIENCE = Duration.ofSeconds(2);
    private static final String RESTART_REASON = "server restarting; reconnect";

    private final Authenticator authenticator;
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final RoomHub hub;
    private final InboxHub inboxHub;
    private final ServerSettings settings;
    private final Map<ConversationId, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<ConversationId, Long> lastTypingNanos = new HashMap<>();
    private final StringBuilder partial = new StringBuilder();
    /** The message being received is over the limit: its remaining fragments are dropped. */
    private boolean oversized;
    private final TypingRelay typingRelay;
    private final RateLimiter rateLimiter;
    private final ConnectionLimiter connectionLimiter;
    private final AtomicBoolean released = new AtomicBoolean();
    /** When anything last arrived on this connection: the upgrade, a frame, a ping. */
    private volatile long lastHeardNanos = System.nanoTime();
    /** Held while a message is received and handled, up to its answer being queued. */
    private final ReentrantLock handling = new ReentrantLock();
    private final ChatMetrics metrics;
    private final OpenSockets openSockets;
    /** Orders a drain's close against the socket opening: see {@link #closeForRestart(int)}. */
    private final Object lifecycle = new Object();
    /** The close code a drain asked for, 0 until one does; guarded by {@link #lifecycle}. */
    private int restartCode;
    private Principal principal;
    private UserId user;
    /** This socket's inbox, when it asked for one; replaced and read on the connection's thread, ended on release. */
    private volatile InboxHub.Subscription inbox;
    /** Set once open; guarded by {@link #lifecycle} where another thread than the connection's reads it. */
    private Outbox outbox;

    private final AttachmentUploads uploads;

    ChatSocket(Authenticator authenticator, ChatCommands commands, ReadModelQueries queries, RoomHub hub,
               InboxHub inboxHub, TypingRelay typingRelay, RateLimiter rateLimiter, ConnectionLimiter connectionLimiter,
               ServerSettings settings, ChatMetrics metrics, OpenSockets openSockets, AttachmentUploads uploads) {
        this.uploads = uploads;
        this.metrics = metrics;
        this.openSockets = openSockets;
        this.authenticator = authenticator;
        this.typingRelay = typingRelay;
        this.rateLimiter = rateLimiter;
        this.connectionLimiter = connectionLimiter;
        this.commands = commands;
        this.queries = queries;
        this.hub = hub;
        this.inboxHub = inboxHub;
        this.settings = settings;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        try {
            // a page from another site must not use the visitor's token (cross-site WebSocket hijacking)
            OriginPolicy.check(settings.allowedOrigins(), headers);
            // browsers cannot set headers on a WebSocket, so the token travels in the query
            principal = authenticator.requireQueryToken(prologue.query().first("access_token").asOptional());
            user = principal.user();
            connectionLimiter.acquire(user);
        } catch (ApiException e) {
            // HTTP filters and error handlers do not run before an upgrade: the direct handler writes the answer
            throw UpgradeRefusal.of(SocketErrors.upgradeRefusal(e));
        }
        // joined now, before Helidon answers 101: from that answer on the client holds an open socket, which a drain
        // must close with 1012 even if onOpen has not run yet (it runs after the 101 is sent)
        if (openSockets.join(this)) {
            synchronized (lifecycle) {
                restartCode = CloseCode.SERVICE_RESTART.code();
            }
        }
        heard();
        return Optional.empty();
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        heard();
        if (last) {
            refuse(new ApiException(400, "unsupported_frame", "only JSON text frames are accepted"), null, null, null);
        }
    }

    @Override
    public void onOpen(WsSession session) {
        heard();
        var opened = new Outbox(session, settings.outboxCapacity(), metrics::frameSent);
        int restart;
        synchronized (lifecycle) {
            outbox = opened;
            restart = restartCode;
        }
        metrics.socketOpened();
        LOG.info(() -> "WebSocket opened for " + user);
        if (restart != 0) {
            // a drain came between the upgrade and now; nothing was queued or handled yet. Closed from this thread,
            // not the writer's: once the server stops, Helidon writes its own close (1000, "Idle timeout") from this
            // thread as soon as onOpen returns, and ours must go first, never at the same time on the same session
            opened.closeAtOnce(restart, RESTART_REASON);
        }
    }

    /**
     * A message longer than the protocol's limit is refused with {@code frame_too_large} and the connection stays. Its
     * fragments are dropped as they arrive, never buffered, and it is answered once, after its last fragment, so the
     * fragments that follow are not taken for new messages. (A single WebSocket frame longer than
     * {@link ServerSettings#maxFrameBytes()} never gets here: Helidon closes the connection with 1009 on its header.)
     */
    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        heard();
        // the fragments, the typing clock and the order of frames are this connection's state, guarded here rather
        // than by trusting that Helidon always calls from one thread
        handling.lock();
        try {
            if (oversized || partial.length() + text.length() > settings.maxFrameChars()) {
                oversized = !last;
                partial.setLength(0);
                if (last) {
                    refuse(new ApiException(400, "frame_too_large", "frames are limited to "
                            + settings.maxFrameChars() + " characters"), null, null, null);
                }
                return;
            }
            partial.append(text);
            if (last) {
                var frame = partial.toString();
                partial.setLength(0);
                handle(frame);
            }
        } finally {
            handling.unlock();
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        heard();
        WsListener.super.onPing(session, buffer); // answers with the pong
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /**
     * Releases this connection (its per-user slot, subscriptions and writer) once it is gone: a write to it failed, or
     * nothing has arrived on it for {@code silence}. A client that vanishes without a close frame is not reported to
     * the listener (Helidon 4.3.1 calls neither {@code onClose} nor {@code onError}, nor {@code onOpen} when writing
     * the 101 failed); Helidon closes the socket as its read fails, or at its idle timeout, and the next write (a
     * probe, see {@link Outbox#probe}) fails. {@link OpenSockets} asks every socket this, often. True when released
     * now.
     */
    boolean releaseIfGone(Duration silence, long nowNanos) {
        var open = outbox();
        var writeFailed = open != null && open.isBroken();
        if (nowNanos - lastHeardNanos < silence.toNanos() && !writeFailed) {
            if (open != null) {
                open.probe();
            }
            return false;
        }
        // no close frame: Helidon has already dropped the connection (docs/protocol.md, Heartbeats)
        return release();
    }

    private Outbox outbox() {
        synchronized (lifecycle) {
            return outbox;
        }
    }

    private boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        if (user != null) {
            connectionLimiter.release(user);
        }
        openSockets.leave(this);
        if (outbox != null) {
            metrics.socketClosed();
            LOG.info(() -> "WebSocket closed for " + user);
        }
        subscriptions.values().forEach(hub::unsubscribe);
        subscriptions.clear();
        var ownInbox = inbox;
        if (ownInbox != null) {
            inboxHub.unsubscribe(ownInbox);
        }
        if (outbox != null) {
            outbox.stop();
        }
        return true;
    }


    /**
     * The server is going away: the frame being handled finishes and its answer is queued (a send stored just now
     * still gets its ack), what is queued goes out, then the close telling the client to reconnect. A socket that is
     * upgraded but not open yet is closed by {@link #onOpen} instead, before it handles any frame.
     */
    void closeForRestart(int code) {
        Outbox open;
        synchronized (lifecycle) {
            if (restartCode != 0) {
                return; // already asked
            }
            restartCode = code;
            open = outbox;
        }
        if (open == null) {
            return;
        }
        var handled = false;
        try {
            // bounded: commands are refused while draining, so a frame in hand finishes quickly
            handled = handling.tryLock(FRAME_IN_HAND_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            open.close(code, RESTART_REASON);
        } finally {
            if (handled) {
                handling.unlock();
            }
        }
    }

    private void handle(String text) {
        String clientMessageId = null;
        String requestId = null;
        String conversationId = null;
        try {
            if (text.indexOf(REPLACEMENT_CHARACTER) >= 0) {
                // the server decodes text frames leniently: invalid UTF-8 arrives as U+FFFD, never as itself
                throw ApiException.badRequest("invalid_utf8", "the frame is not valid UTF-8");
            }
            var frame = Json.parseObject(text);
            clientMessageId = frame.path("clientMessageId").textValue();
            requestId = frame.path("requestId").textValue();
            conversationId = frame.path("conversationId").textValue();
            var type = Json.requiredText(frame, "type");
            metrics.frameReceived(type);
            switch (type) {
                case "ping" -> reply(new ServerFrame.Pong());
                case "subscribe" -> subscribe(frame);
                case "unsubscribe" -> unsubscribe(frame);
                case "subscribe_inbox" -> subscribeInbox();
                case "unsubscribe_inbox" -> unsubscribeInbox();
                // writes are validated before the rate limit is charged: invalid frames do not use it up
                case "send" -> send(frame);
                case "edit" -> {
                    var conversation = conversation(frame);
                    var message = Json.requiredValue(frame, "messageId", MessageId::of);
                    var newText = MessageText.require(Json.requiredText(frame, "text"));
                    rateLimiter.acquire(user);
                    commands.edit(conversation, user, message, newText);
                    reply(new ServerFrame.Ok(requestId));
                }
                case "redact" -> {
                    var conversation = conversation(frame);
                    var message = Json.requiredValue(frame, "messageId", MessageId::of);
                    rateLimiter.acquire(user);
                    commands.redact(conversation, user, principal.isAdmin(), message);
                    reply(new ServerFrame.Ok(requestId));
                }
                case "read" -> {
                    var conversation = conversation(frame);
                    var upToSeq = Json.optionalNonNegativeLong(frame, "upToSeq").orElseThrow(
                            () -> ApiException.badRequest("missing_field", "'upToSeq' is required"));
                    commands.markRead(conversation, user, upToSeq);
                    reply(new ServerFrame.Ok(requestId));
                }
                case "typing" -> typing(frame);
                default -> throw ApiException.badRequest("unknown_type", "unknown frame type");
            }
        } catch (RuntimeException e) {
            refuse(Failures.describe(e), clientMessageId, requestId, conversationId);
        }
    }

    /** Answers a refused frame with an error frame whose code docs/protocol.md lists. */
    private void refuse(ApiException failure, String clientMessageId, String requestId, String conversationId) {
        var error = SocketErrors.frameError(failure);
        metrics.rejected(error.code());
        reply(new ServerFrame.Error(error.code(), error.getMessage(), clientMessageId, requestId, conversationId));
    }

    private static ConversationId conversation(ObjectNode frame) {
        return Json.requiredValue(frame, "conversationId", ConversationId::of);
    }

    private void typing(ObjectNode frame) {
        var conversation = conversation(frame);
        var now = System.nanoTime();
        var last = lastTypingNanos.get(conversation);
        if (last != null && now - last < TYPING_INTERVAL_NANOS) {
            return; // a keystroke stream becomes at most one indicator per interval
        }
        if (!queries.isParticipant(conversation, user)) {
            throw Failures.notAParticipant();
        }
        lastTypingNanos.put(conversation, now);
        typingRelay.publish(conversation, user);
    }

    private void subscribe(ObjectNode frame) {
        var conversation = conversation(frame);
        var afterSeq = Json.optionalNonNegativeLong(frame, "afterSeq");
        if (!queries.isParticipant(conversation, user)) {
            throw Failures.notAParticipant();
        }
        var previous = subscriptions.remove(conversation);
        if (previous != null) {
            hub.unsubscribe(previous);
        }
        // confirmed when in place and before any replayed event: both pass through the same outbox
        Runnable confirm = () -> reply(new ServerFrame.Subscribed(conversation.value(),
                afterSeq.isPresent() ? afterSeq.getAsLong() : null));
        var subscription = hub.subscribe(conversation, user, outbox, afterSeq, confirm, ended -> {
            // removed from the conversation: nothing after this is for them
            subscriptions.remove(conversation, ended);
            hub.unsubscribe(ended);
        });
        subscriptions.put(conversation, subscription);
        if (subscription.isEnded()) {
            // the replay already reached this user's removal
            subscriptions.remove(conversation, subscription);
        }
    }

    private void unsubscribe(ObjectNode frame) {
        var conversation = Json.requiredValue(frame, "conversationId", ConversationId::of);
        var subscription = subscriptions.remove(conversation);
        if (subscription != null) {
            hub.unsubscribe(subscription);
        }
        reply(new ServerFrame.Unsubscribed(conversation.value()));
    }

    /** Other fields of the frame are ignored, as in every frame. Asking again replaces the earlier inbox. */
    private void subscribeInbox() {
        unsubscribeInbox(false);
        var opened = outbox;
        inbox = inboxHub.subscribe(user, opened::send, () -> reply(new ServerFrame.InboxSubscribed()));
        if (released.get()) {
            // the connection ended while the inbox was being set up: release() may have missed it
            inboxHub.unsubscribe(inbox);
        }
    }

    private void unsubscribeInbox() {
        unsubscribeInbox(true);
    }

    private void unsubscribeInbox(boolean confirm) {
        var previous = inbox;
        inbox = null;
        if (previous != null) {
            inboxHub.unsubscribe(previous);
        }
        if (confirm) {
            reply(new ServerFrame.InboxUnsubscribed());
        }
    }

    private void send(ObjectNode frame) {
        var conversation = Json.requiredValue(frame, "conversationId", ConversationId::of);
        var clientMessageId = Json.requiredValue(frame, "clientMessageId", ClientMessageId::of);
        var files = java.util.List.<com.hirechat.domain.Attachment>of();
        if (frame.hasNonNull("attachments")) {
            // who may comes before which files: an outsider learns nothing of what was uploaded where
            if (!queries.isParticipant(conversation, user)) {
                throw Failures.notAParticipant();
            }
            files = AttachmentRefs.resolve(frame, conversation, user, uploads);
        }
        var text = AttachmentRefs.text(frame, files);
        if (files.isEmpty() || !text.isBlank()) {
            text = MessageText.require(text);
        }
        rateLimiter.acquire(user);
        var accepted = commands.send(conversation, user, clientMessageId, text, files);
        reply(ServerFrame.Ack.of(conversation.value(), clientMessageId.value(), accepted));
    }

    private void reply(ServerFrame frame) {
        outbox.send(frame);
    }
}
