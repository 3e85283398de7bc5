package com.hirechat.projections;

import java.time.Instant;
import java.util.List;

/** A conversation's header: what it is, who is in it and which jobs it is about. */
public record ConversationView(String conversationId, String kind, String title, String startedBy, Instant startedAt,
                               List<Member> participants, List<Job> jobs) {

    /** A current participant with their profile, when the host site registered one. */
    public record Member(String userId, String displayName, String avatarUrl, String role, long joinedSeq) {
    }

    /** A job the conversation is about. */
    public record Job(String jobId, String title, String linkedBy, Instant linkedAt) {
    }
}
