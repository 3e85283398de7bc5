package com.hirechat.domain;

/** Every rule the domain can refuse a command for, each with a stable code clients can rely on. */
public enum DomainError {
    INVALID_USER_ID("invalid_user_id"),
    INVALID_CONVERSATION_ID("invalid_conversation_id"),
    INVALID_CLIENT_MESSAGE_ID("invalid_client_message_id"),
    INVALID_PARTICIPANTS("invalid_participants"),
    CONVERSATION_ID_MISMATCH("conversation_id_mismatch"),
    NOT_A_PARTICIPANT("not_a_participant"),
    EMPTY_TEXT("empty_text"),
    TEXT_TOO_LONG("text_too_long"),
    INVALID_TEXT("invalid_text"),
    INVALID_MESSAGE_ID("invalid_message_id"),
    INVALID_JOB("invalid_job"),
    INVALID_TITLE("invalid_title"),
    INVALID_PROFILE("invalid_profile"),
    NOT_A_GROUP("not_a_group"),
    UNKNOWN_MESSAGE("unknown_message"),
    NOT_THE_AUTHOR("not_the_author"),
    NOT_ALLOWED("not_allowed"),
    MESSAGE_REDACTED("message_redacted"),
    INVALID_READ_POSITION("invalid_read_position"),
    INVALID_MATTER("invalid_matter"),
    UNKNOWN_HOLD("unknown_hold"),
    HOLD_RELEASED("hold_released"),
    INVALID_ATTACHMENT("invalid_attachment"),
    TOO_MANY_ATTACHMENTS("too_many_attachments");

    private final String code;

    DomainError(String code) {
        this.code = code;
    }

    /** The error with this wire code, if there is one. */
    public static java.util.Optional<DomainError> fromCode(String code) {
        for (var error : values()) {
            if (error.code.equals(code)) {
                return java.util.Optional.of(error);
            }
        }
        return java.util.Optional.empty();
    }

    /** The wire code, stable across releases. */
    public String code() {
        return code;
    }
}
