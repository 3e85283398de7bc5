package com.hirechat.domain;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * A user's data keys were destroyed: every text they wrote and their profile read as {@link Erased} from now on.
 * Carries who asked, why, when and which keys, and no personal data (the reason is written by compliance staff, who
 * are told not to put any in it).
 */
@Revision("1")
public record UserErased(UserId userId, UserId erasedBy, String reason, String requestId, List<String> keyIds,
                         Instant erasedAt) {
}
