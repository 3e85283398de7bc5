package com.hirechat.domain;

/** Whether a conversation is between exactly two users or a group. */
public enum ConversationKind {
    DIRECT,
    GROUP
}
