package com.hirechat.infra.erasure;

import java.util.Optional;

import org.jdbi.v3.core.Handle;

/**
 * Asked before any key of a subject is destroyed: the place legal holds plug in (issue 25, item 4). The default
 * allows everything; a guard that returns a matter makes the erasure answer {@code erasure_held} and destroy nothing.
 */
@FunctionalInterface
public interface ErasureGuard {

    /** Allows every erasure. */
    ErasureGuard ALLOW_ALL = (handle, subject) -> Optional.empty();

    /**
     * The matter that holds this subject, or empty when it may be erased now; read on {@code handle}, which the
     * shredder calls inside its transaction after taking the hold lock, so that the answer is still true when the
     * keys go.
     */
    Optional<String> holdingMatter(Handle handle, ErasureSubject subject);
}
