package com.hirechat.infra;

/** A projection rebuild could not go on; the live tables are as they were unless the message says otherwise. */
final class RebuildException extends RuntimeException {

    RebuildException(String message) {
        super(message);
    }

    RebuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
