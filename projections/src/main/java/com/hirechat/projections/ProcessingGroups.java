package com.hirechat.projections;

/** Names of the event processors that build the read models; also the keys of their tokens. */
public final class ProcessingGroups {

    /** Runs inside the command's transaction, so access checks see a conversation as soon as it is stored. */
    public static final String PARTICIPANTS = "participants";
    /** Tails the event store asynchronously with a token. */
    public static final String HISTORY = "history";
    /** Tails the event store asynchronously with a token. */
    public static final String CONTACTS = "contacts";

    private ProcessingGroups() {
    }
}
