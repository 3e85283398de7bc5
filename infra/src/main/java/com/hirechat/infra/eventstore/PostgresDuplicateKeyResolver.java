package com.hirechat.infra.eventstore;

import java.sql.SQLException;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Recognises PostgreSQL's unique violation (SQLSTATE 23505). Axon's default resolver only knows
 * {@code SQLIntegrityConstraintViolationException}, which the PostgreSQL driver never throws, so without this
 * two writers racing for the same seq would fail hard instead of being retried as a concurrency conflict.
 */
final class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
