package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** A legal hold ended. */
@Revision("1")
public record LegalHoldReleased(String holdId, HoldTarget target, String matter, UserId releasedBy,
                                Instant releasedAt) {
}
