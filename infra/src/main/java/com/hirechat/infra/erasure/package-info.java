/**
 * Erasure of users: requests, key destruction, legal holds and deferrals.
 *
 * <p>Rules others rely on:
 * <ul>
 *   <li>Order of steps: a request is recorded (committed) before any key is destroyed, and the {@code UserErased}
 *       event is stored only after the keys are gone; each step is safe to run again, and a request a stopped
 *       process left half-done is completed at the next start.</li>
 *   <li>Holds against shredding: placing a hold and destroying a subject's first key both take {@link
 *       com.hirechat.infra.erasure.HoldLock} in their own transaction. The shredder asks the guard again under the
 *       lock, so a hold committed before it got the lock stops it (the request becomes a deferred one in that same
 *       transaction and nothing is destroyed), and a hold placed after it comes after keys already gone. A request
 *       that destroyed keys before a crash is finished whatever holds came since.</li>
 *   <li>Key reads never happen on the main pool while a command holds a connection of it (the keys' own pool,
 *       see docs/compliance.md).</li>
 * </ul>
 * Pinned by {@code LegalHoldAndRetentionTest} (the two orders of hold and shredding) and {@code ErasureTest}.
 */
package com.hirechat.infra.erasure;
