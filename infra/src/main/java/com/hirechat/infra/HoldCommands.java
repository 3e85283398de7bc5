package com.hirechat.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.HoldTarget;
import com.hirechat.infra.retention.HoldsAndRetention;
import com.hirechat.web.ComplianceControls;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Legal holds and retention on the command line (docs/compliance.md#legal-hold, #retention), as the compliance API
 * does them; each prints JSON. Exit codes: 0 done, 2 bad input (its code on standard error), 3 unknown subject or hold,
 * 4 refused (a released hold, retention off).
 */
final class HoldCommands {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private HoldCommands() {
    }

    /** Opens the record, runs {@code work} on its holds and retention, prints the answer as JSON. */
    abstract static class OnRecord implements Callable<Integer> {

        @Override
        public final Integer call() {
            var config = AppConfig.fromEnvironment();
            try (var record = OfflineRecord.open(config)) {
                var work = ChatApplication.compliance(record.database(), record.axon().started(), config.retention(),
                        java.time.Clock.systemUTC());
                System.out.println(JSON.writeValueAsString(run(work)));
                return 0;
            } catch (DomainRuleViolation e) {
                System.err.println(e.error().code() + ": " + e.getMessage());
                return switch (e.error()) {
                    case UNKNOWN_HOLD -> 3;
                    case HOLD_RELEASED -> 4;
                    default -> 2;
                };
            } catch (ComplianceControls.UnknownTarget e) {
                System.err.println((e.target().kind() == HoldTarget.Kind.USER ? "unknown_user" : "unknown_conversation")
                        + ": " + e.getMessage());
                return 3;
            } catch (ComplianceControls.UnknownHold e) {
                System.err.println("unknown_hold: " + e.getMessage());
                return 3;
            } catch (ComplianceControls.RetentionOff e) {
                System.err.println("retention_off: " + e.getMessage());
                return 4;
            } catch (JsonProcessingException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        abstract Object run(HoldsAndRetention work);
    }

    /** Places a hold. */
    @Command(name = "hold", description = "Place a legal hold on a user or a conversation; erasure and retention "
            + "of it are deferred until it is released.")
    static final class Place extends OnRecord {

        @Option(names = "--user", description = "The user to hold.")
        String user;

        @Option(names = "--conversation", description = "The conversation to hold.")
        String conversation;

        @Option(names = "--matter", required = true, description = "The matter's reference (letters, digits, . _ / : -).")
        String matter;

        @Override
        Object run(HoldsAndRetention work) {
            if ((user == null) == (conversation == null)) {
                throw new ConfigException("--user", "or --conversation: exactly one of them names what is held");
            }
            var target = user != null ? new HoldTarget(HoldTarget.Kind.USER, user)
                    : new HoldTarget(HoldTarget.Kind.CONVERSATION, conversation);
            return view(work.place(target, matter, OfflineRecord.COMMAND_LINE));
        }
    }

    /** Releases a hold and carries out what it deferred. */
    @Command(name = "release-hold", description = "Release a legal hold; the erasures and expiries it deferred are "
            + "carried out.")
    static final class Release extends OnRecord {

        @Parameters(paramLabel = "HOLD_ID")
        String hold;

        @Override
        Object run(HoldsAndRetention work) {
            try {
                hold = java.util.UUID.fromString(hold).toString();
            } catch (IllegalArgumentException e) {
                throw new ConfigException("HOLD_ID", "is a UUID, was '" + hold + "'");
            }
            var release = work.release(hold, OfflineRecord.COMMAND_LINE);
            var view = view(release.hold());
            view.put("carriedOut", release.carriedOut());
            view.put("stillDeferred", release.stillDeferred());
            return view;
        }
    }

    /** Lists holds. */
    @Command(name = "holds", description = "List every legal hold with its matter, active ones first.")
    static final class ListHolds extends OnRecord {

        @Override
        Object run(HoldsAndRetention work) {
            return Map.of("holds", work.holds().stream().map(HoldCommands::view).toList());
        }
    }

    /** Runs the retention policy now. */
    @Command(name = "retention", description = "Apply the retention policy now (HIRECHAT_RETENTION_…); with "
            + "--dry-run only list what would expire. Every run is recorded.")
    static final class Run extends OnRecord {

        @Option(names = "--dry-run", description = "List what would expire or be deferred; change nothing.")
        boolean dryRun;

        @Override
        Object run(HoldsAndRetention work) {
            return work.runRetention(dryRun, "CLI");
        }
    }

    /** Lists recorded retention runs. */
    @Command(name = "retention-runs", description = "List the latest retention runs, newest first.")
    static final class Runs extends OnRecord {

        @Option(names = "--limit", defaultValue = "50", description = "How many (1-500, default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        Object run(HoldsAndRetention work) {
            if (limit < 1 || limit > 500) {
                throw new ConfigException("--limit", "must be 1 to 500");
            }
            return Map.of("runs", work.retentionRuns(limit));
        }
    }

    private static Map<String, Object> view(ComplianceControls.Hold hold) {
        var view = new LinkedHashMap<String, Object>();
        view.put("holdId", hold.holdId());
        view.put("kind", hold.targetKind());
        view.put("id", hold.targetId());
        view.put("matter", hold.matter());
        view.put("placedBy", hold.placedBy());
        view.put("placedAt", hold.placedAt().toString());
        view.put("active", hold.releasedAt().isEmpty());
        view.put("releasedBy", hold.releasedBy().orElse(null));
        view.put("releasedAt", hold.releasedAt().map(Object::toString).orElse(null));
        return view;
    }
}
