package com.hirechat.projections;

/** Names of the event processors that build the read models; also the keys of their tokens. */
public final class ProcessingGroups {

    /** Runs inside the command's transaction, so access checks see a change as soon as it is stored. */
    public static final String PARTICIPANTS = "participants";
    /**
     * History, contacts, conversations, profiles and job links: one asynchronous processor with a token, so that
     * within a conversation every table sees the events in the same order (unread counts read the history).
     */
    public static final String READ_MODELS = "read-models";

    private ProcessingGroups() {
    }
}
