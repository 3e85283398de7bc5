package com.hirechat.domain;

/** What a user is on the job board, as the host site says. */
public enum ProfileRole {
    SEEKER,
    RECRUITER,
    COMPANY,
    OTHER
}
