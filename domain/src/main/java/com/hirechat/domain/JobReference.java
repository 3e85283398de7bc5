package com.hirechat.domain;

import java.util.regex.Pattern;

/** A job on the host site that a conversation is about: its id there and the title to show. */
public record JobReference(String jobId, String title) {

    private static final Pattern ID_SHAPE = Pattern.compile("[\\x21-\\x7E]{1,64}");
    public static final int MAX_TITLE_LENGTH = 200;

    public JobReference {
        if (jobId == null || !ID_SHAPE.matcher(jobId).matches()) {
            throw new DomainRuleViolation(DomainError.INVALID_JOB, "a job id is 1-64 visible ASCII characters");
        }
        if (title == null || title.isBlank() || title.length() > MAX_TITLE_LENGTH) {
            throw new DomainRuleViolation(DomainError.INVALID_JOB,
                    "a job title is 1-" + MAX_TITLE_LENGTH + " characters");
        }
    }
}
