package com.hirechat.infra.erasure;

import java.util.Optional;

/**
 * Asked before any key of a subject is destroyed: the place legal holds plug in (issue 25, item 4). The default
 * allows everything; a guard that returns a matter makes the erasure answer {@code erasure_held} and destroy nothing.
 */
@FunctionalInterface
public interface ErasureGuard {

    /** Allows every erasure. */
    ErasureGuard ALLOW_ALL = subject -> Optional.empty();

    /** The matter that holds this subject, or empty when it may be erased now. */
    Optional<String> holdingMatter(ErasureSubject subject);
}
