package com.hirechat.domain;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * Retention destroyed every key of a conversation: all its texts read as {@link Erased} from now on. Carries the
 * policy, the request, the keys and when; no personal data.
 */
@Revision("1")
public record ConversationExpired(ConversationId conversationId, String policy, String requestId, List<String> keyIds,
                                  Instant expiredAt) {
}
