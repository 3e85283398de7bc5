package com.hirechat.projections;

/** When a user joined a conversation and, if they were removed, when. */
public record Participation(long joinedSeq, Long leftSeq) {

    public boolean isCurrent() {
        return leftSeq == null;
    }

    /** The first seq this user may no longer see. */
    public long visibleBelow() {
        return leftSeq == null ? Long.MAX_VALUE : leftSeq;
    }
}
