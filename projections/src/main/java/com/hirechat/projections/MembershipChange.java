package com.hirechat.projections;

import java.time.Instant;

/** Someone joined ({@code added}) or left ({@code removed}) a group after it started, at {@code seq}. */
public record MembershipChange(long seq, String userId, String change, String by, Instant at) {
}
