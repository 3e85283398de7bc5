package com.hirechat.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.Profile;
import com.hirechat.domain.ProfileRole;
import com.hirechat.domain.UserId;

/**
 * The demo job board's data ({@code web/demo-jobs.json}, which {@code jobs.html} renders too): in the development run
 * its recruiters are registered, so a new user sees their names rather than their ids.
 */
final class DemoJobBoard {

    private static final Logger LOG = Logger.getLogger(DemoJobBoard.class.getName());
    static final String RESOURCE = "web/demo-jobs.json";

    /** One job on the board. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Job(String id, String title, String company, String location, String blurb, String recruiterId,
               String recruiterName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Board(List<Job> jobs) {
    }

    private DemoJobBoard() {
    }

    static List<Job> jobs() {
        try (var in = DemoJobBoard.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return Json.MAPPER.readValue(in, Board.class).jobs();
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " cannot be read", e);
        }
    }

    /**
     * Registers each recruiter's profile; putting a profile that is already there stores nothing. A failure is
     * logged, not thrown: the demo's names are a convenience, never a reason for the development run not to start.
     */
    static void registerRecruiters(ChatCommands commands, Notifications notifications) {
        var recruiters = new LinkedHashMap<String, String>();
        try {
            jobs().forEach(job -> recruiters.putIfAbsent(job.recruiterId(), job.recruiterName()));
            for (Map.Entry<String, String> recruiter : recruiters.entrySet()) {
                var id = UserId.of(recruiter.getKey());
                commands.putProfile(id, new Profile(recruiter.getValue(), null, ProfileRole.RECRUITER));
                if (!notifications.hasAddress(id)) {
                    notifications.putAddress(id, java.util.Optional.of(developmentAddress(id)));
                }
            }
            LOG.info(() -> "development run: registered the demo job board's recruiters " + recruiters.keySet());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "development run: the demo job board's recruiters could not be registered; "
                    + "they show as their ids", e);
        }
    }

    /**
     * The address the development run gives a user who signs in with a name, and the demo's recruiters: digests to it
     * are captured at {@code /dev/mail}, never sent (the development run sends mail only when SMTP is configured, and
     * {@code example.com} is reserved for examples).
     */
    static String developmentAddress(UserId user) {
        return user.value().replaceAll("[^A-Za-z0-9._-]", "-") + "@example.com";
    }
}
