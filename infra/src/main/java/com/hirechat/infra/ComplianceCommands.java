package com.hirechat.infra;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ComplianceRecord;
import com.hirechat.projections.ComplianceSearch;
import com.hirechat.web.ComplianceExport;
import com.hirechat.web.ExportSelection;
import com.hirechat.web.UserErasures;

import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Compliance work on the command line: replay, export and verify, straight from the event store. */
final class ComplianceCommands {

    /** Writes what a command prints as JSON. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComplianceCommands() {
    }

    /** A logged read of one conversation's record: the shared argument, reason and access-log entry. */
    abstract static class ConversationRead implements Callable<Integer> {

        @Parameters(paramLabel = "CONVERSATION_ID")
        String conversation;

        @Option(names = "--reason", required = true, description = "Why the record is read (logged).")
        String reason;

        @Override
        public final Integer call() throws IOException {
            var id = ConversationId.of(conversation);
            try (var record = OfflineRecord.open(AppConfig.fromEnvironment())) {
                record.accessLog().record(OfflineRecord.COMMAND_LINE, action(), id, reason);
                return read(record, id);
            }
        }

        abstract String action();

        /** Reads the record; returns the exit code. */
        abstract int read(OfflineRecord record, ConversationId id) throws IOException;
    }

    /** Prints a conversation's events as JSON Lines. */
    @Command(name = "replay", description = "Print every event of a conversation, in order, as JSON Lines.")
    static final class Replay extends ConversationRead {

        @Override
        String action() {
            return "replay";
        }

        @Override
        int read(OfflineRecord record, ConversationId id) throws IOException {
            try (var export = new ComplianceExport(new NotClosing(System.out), ComplianceExport.Format.JSONL)) {
                record.feed().replay(id, -1, export::write);
            }
            return 0;
        }
    }

    /** Prints the transcript as participants saw it at an instant. */
    @Command(name = "transcript", description = "Print a conversation's messages as participants saw them at an instant.")
    static final class Transcript extends ConversationRead {

        @Option(names = "--as-of", required = true, description = "The instant, ISO-8601, e.g. 2026-11-24T09:00:00Z.")
        Instant asOf;

        @Override
        String action() {
            return "transcript";
        }

        @Override
        int read(OfflineRecord record, ConversationId id) {
            for (var line : new ComplianceRecord(record.feed()).transcriptAsOf(id, asOf)) {
                System.out.println(line.sentAt() + " " + line.senderId() + ": "
                        + (line.removed() ? "[message removed]" : line.erased() ? "[message erased]" : line.text())
                        + (line.editedAt() != null && !line.removed() ? " (edited " + line.editedAt() + ")" : ""));
            }
            return 0;
        }
    }

    /** Recomputes a conversation's hash chain. */
    @Command(name = "verify", description = "Check a conversation's tamper-evidence chain; exit 1 when broken.")
    static final class Verify extends ConversationRead {

        @Override
        String action() {
            return "verify";
        }

        @Override
        int read(OfflineRecord record, ConversationId id) {
            var result = record.feed().verify(id);
            System.out.println(result.intact()
                    ? "intact: " + result.checked() + " events verified"
                    : "BROKEN at seq " + result.firstBrokenSeq() + " (" + result.checked() + " events before it hold)");
            for (var range : result.schemes()) {
                System.out.println("scheme " + range.scheme() + ": seq " + range.fromSeq() + ".." + range.toSeq());
            }
            return result.intact() ? 0 : 1;
        }
    }

    /** Streams the events of one conversation, one user's conversations, or a time range, with a progress bar. */
    @Command(name = "export", description = "Export events as JSON Lines or CSV, streamed in constant memory.")
    static final class Export implements Callable<Integer> {

        static final class Selection {
            @Option(names = "--conversation", description = "One conversation.")
            String conversation;

            @Option(names = "--user", description = "Every conversation this user took part in.")
            String user;

            @ArgGroup(exclusive = false)
            Range range;

            @ArgGroup(exclusive = false)
            Search search;
        }

        static final class Range {
            @Option(names = "--from", required = true, description = "Start of the range, ISO-8601 (inclusive).")
            Instant from;

            @Option(names = "--to", required = true, description = "End of the range, ISO-8601 (exclusive).")
            Instant to;
        }

        /** The compliance console's search (GET /api/compliance/search): every conversation it finds, whole. */
        static final class Search {
            @Option(names = "--search", required = true,
                    description = "Words in messages (web search syntax; \"\" for any).")
            String words;

            @Option(names = "--participant", description = "Only conversations this user took part in.")
            String participant;

            @Option(names = "--job", description = "Only conversations about this job id.")
            String job;

            @Option(names = "--sent-from", description = "Only messages sent at or after, ISO-8601.")
            Instant sentFrom;

            @Option(names = "--sent-to", description = "Only messages sent before, ISO-8601.")
            Instant sentTo;

            ComplianceSearch.Criteria criteria() {
                return new ComplianceSearch.Criteria(Optional.of(words.strip()).filter(w -> !w.isEmpty()),
                        Optional.ofNullable(participant).map(UserId::of), Optional.ofNullable(job),
                        Optional.ofNullable(sentFrom), Optional.ofNullable(sentTo));
            }
        }

        @ArgGroup(multiplicity = "1")
        Selection selection;

        @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", required = true, description = "File to write.")
        Path out;

        @Option(names = "--reason", required = true, description = "Why the record is read (logged).")
        String reason;

        @Override
        public Integer call() throws IOException {
            var chosen = ComplianceExport.Format.parse(format)
                    .orElseThrow(() -> new ConfigException("--format", "must be jsonl or csv"));
            try (var record = OfflineRecord.open(AppConfig.fromEnvironment());
                 var export = new ComplianceExport(new FileOutputStream(out.toFile()), chosen)) {
                var chosenSelection = selection(record);
                var conversations = chosenSelection.conversations();
                long events;
                try (var bar = new ProgressBarBuilder().setTaskName("export").setInitialMax(conversations.size())
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" conversations", 1).build()) {
                    // the loop the HTTP export runs too: the same selection gives the same bytes
                    events = chosenSelection.writeTo(export, record.feed(),
                            id -> record.accessLog().record(OfflineRecord.COMMAND_LINE, "export-" + chosen.extension(),
                                    id, reason),
                            (id, written) -> {
                                bar.step();
                                bar.setExtraMessage(written + " events");
                            });
                }
                System.err.println("exported " + events + " events of " + conversations.size()
                        + " conversation(s) to " + out);
            }
            return 0;
        }

        private ExportSelection selection(OfflineRecord record) {
            if (selection.conversation != null) {
                return ExportSelection.of(List.of(ConversationId.of(selection.conversation)));
            }
            if (selection.user != null) {
                return ExportSelection.of(record.search().conversationsOf(UserId.of(selection.user)));
            }
            if (selection.search != null) {
                return ExportSelection.of(record.search().conversations(selection.search.criteria()));
            }
            return new ExportSelection(record.conversationsActiveBetween(selection.range.from, selection.range.to),
                    Optional.of(selection.range.from), Optional.of(selection.range.to));
        }
    }

    /**
     * Erases a user (docs/compliance.md#erasure), as the API does: exit 0 when erased or already erased (printed as
     * JSON), 3 for an unknown user ({@code unknown_user}), 4 under a legal hold ({@code erasure_held}).
     */
    @Command(name = "erase-user", description = "Erase a user: destroy their keys, so every text they wrote and "
            + "their profile become unreadable; the erasure is recorded as an event.")
    static final class EraseUser implements Callable<Integer> {

        @Parameters(paramLabel = "USER_ID")
        String user;

        @Option(names = "--reason", required = true, description = "Why the user is erased (recorded; no personal data).")
        String reason;

        @Override
        public Integer call() {
            var id = UserId.of(user);
            if (reason.isBlank()) {
                throw new ConfigException("--reason", "must say why the user is erased");
            }
            var config = AppConfig.fromEnvironment();
            try (var record = OfflineRecord.open(config)) {
                // as the API does: under a legal hold the erasure is recorded as deferred (exit 4)
                var erasure = ChatApplication.compliance(record.database(), record.axon().started(), config.retention(),
                        Clock.systemUTC());
                erasure.resumeIncomplete();
                var outcome = erasure.erase(id, OfflineRecord.COMMAND_LINE, reason.strip());
                var view = new LinkedHashMap<String, Object>();
                view.put("userId", outcome.userId().value());
                view.put("requestId", outcome.requestId());
                view.put("destroyedKeys", outcome.keyIds());
                view.put("completedAt", outcome.completedAt().toString());
                view.put("alreadyErased", outcome.alreadyErased());
                System.out.println(JSON.writeValueAsString(view));
                return 0;
            } catch (UserErasures.UnknownUser e) {
                System.err.println("unknown_user: " + e.getMessage());
                return 3;
            } catch (UserErasures.Held e) {
                System.err.println("erasure_held: " + e.getMessage());
                return 4;
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Re-wraps every data key under {@code HIRECHAT_MASTER_KEY}, opening those under {@code HIRECHAT_MASTER_KEY_PREVIOUS}
     * (docs/operations.md#rotating-the-master-key): exit 0 when every live key is under the current master key, 1 when
     * some are under a master key neither variable holds.
     */
    @Command(name = "rotate-master-key", description = "Re-wrap every data key under HIRECHAT_MASTER_KEY "
            + "(opening them with HIRECHAT_MASTER_KEY_PREVIOUS).")
    static final class RotateMasterKey implements Callable<Integer> {

        @Override
        public Integer call() {
            var config = AppConfig.fromEnvironment();
            if (config.masterKey().isEmpty()) {
                throw new ConfigException("HIRECHAT_MASTER_KEY", "is required to rotate: it is the key rotated to");
            }
            var keys = MasterKeyFile.resolve(config);
            try (var database = Database.open(config)) {
                var result = new com.hirechat.infra.crypto.MasterKeyRotation(
                        org.jdbi.v3.core.Jdbi.create(database.dataSource()), keys).run();
                System.out.println("re-wrapped " + result.rewrapped() + " data keys under master key "
                        + keys.currentId() + (result.unopenable() == 0 ? ""
                        : "; " + result.unopenable() + " are wrapped under a master key that is not configured"));
                return result.unopenable() == 0 ? 0 : 1;
            }
        }
    }

    /** Standard output belongs to the process: writing to it must not close it. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream target) {
            super(target);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
