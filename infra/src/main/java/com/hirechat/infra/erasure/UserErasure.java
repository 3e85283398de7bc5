package com.hirechat.infra.erasure;

import java.util.List;
import java.util.logging.Logger;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.EraseUser;
import com.hirechat.domain.UserId;
import com.hirechat.web.UserErasures;

/**
 * Erases a user in three steps, each safe to run again: record the request durably, destroy the user's keys
 * ({@link KeyShredder}), store the {@code UserErased} event (the aggregate records a request once). A request that
 * did not complete is resumed by {@link #resumeIncomplete} at start.
 */
public final class UserErasure implements UserErasures {

    private static final Logger LOG = Logger.getLogger(UserErasure.class.getName());

    private final Jdbi jdbi;
    private final ErasureRequests requests;
    private final KeyShredder shredder;
    private final ChatCommands commands;
    private final ErasureGuard guard;

    public UserErasure(Jdbi jdbi, KeyShredder shredder, ChatCommands commands, ErasureGuard guard) {
        this.jdbi = jdbi;
        this.requests = new ErasureRequests(jdbi);
        this.shredder = shredder;
        this.commands = commands;
        this.guard = guard;
    }

    public ErasureRequests requests() {
        return requests;
    }

    @Override
    public Outcome erase(UserId user, UserId requestedBy, String reason) {
        var subject = new ErasureSubject(ErasureSubject.Kind.USER, user.value());
        var matter = jdbi.withHandle(handle -> guard.holdingMatter(handle, subject));
        if (matter.isPresent()) {
            throw new Held("user " + user + " is under legal hold (" + matter.get() + ")");
        }
        if (!known(user)) {
            throw new UnknownUser(user);
        }
        // a request of this user left half-done (a failed command, another node that stopped) is carried on, not doubled
        var pending = requests.incomplete().stream().filter(request -> request.subject().equals(subject)).findFirst();
        if (pending.isPresent()) {
            return complete(pending.get());
        }
        var earlier = requests.lastCompleted(subject);
        if (earlier.isPresent() && !hasLiveKeys(user)) {
            var keyIds = destroyedBy(earlier.get().id());
            return new Outcome(earlier.get().id().toString(), user, keyIds, earlier.get().completedAt().orElseThrow(),
                    true);
        }
        return complete(requests.record(subject, requestedBy.value(), reason));
    }

    /** Completes every request a stopped process left half-done; returns how many. */
    public int resumeIncomplete() {
        var pending = requests.incomplete().stream()
                .filter(request -> request.subject().kind() == ErasureSubject.Kind.USER).toList();
        for (var request : pending) {
            LOG.warning("resuming erasure request " + request.id() + " of user " + request.subject().id()
                    + ", which did not complete");
            try {
                complete(request);
            } catch (Held held) {
                LOG.info(held.getMessage() + ": the request is deferred");
            }
        }
        return pending.size();
    }

    private Outcome complete(ErasureRequests.Request request) {
        var user = UserId.of(request.subject().id());
        List<String> keyIds;
        try {
            keyIds = shredder.destroy(request);
        } catch (ErasureHeld held) {
            // a hold placed since the check above: the shredder made the request a deferred one
            throw new Held("user " + user + " is under legal hold (" + held.matters() + ")");
        }
        commands.recordErasure(new EraseUser(user, UserId.of(request.requestedBy()), request.reason(),
                request.id().toString(), keyIds));
        var completed = requests.complete(request.id());
        LOG.info(() -> "user " + user + " erased (request " + request.id() + ", " + keyIds.size() + " keys destroyed)");
        return new Outcome(request.id().toString(), user, keyIds, completed, false);
    }

    private boolean known(UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM data_keys WHERE user_id = :user)
                            OR EXISTS (SELECT 1 FROM conversation_participants WHERE user_id = :user)
                            OR EXISTS (SELECT 1 FROM user_profiles WHERE user_id = :user)
                            OR EXISTS (SELECT 1 FROM erasure_requests WHERE subject_kind = 'USER' AND subject_id = :user)""")
                .bind("user", user.value())
                .mapTo(Boolean.class)
                .one());
    }

    private boolean hasLiveKeys(UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM data_keys WHERE user_id = :user AND wrapped_key IS NOT NULL)")
                .bind("user", user.value())
                .mapTo(Boolean.class)
                .one());
    }

    private List<String> destroyedBy(java.util.UUID request) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT key_id::text FROM data_keys WHERE destroyed_by_request = :request ORDER BY key_id")
                .bind("request", request)
                .mapTo(String.class)
                .list());
    }
}
