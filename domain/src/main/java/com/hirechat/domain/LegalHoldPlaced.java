package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** A legal hold began: who placed it, on what, for which matter (a reference, no personal data). */
@Revision("1")
public record LegalHoldPlaced(String holdId, HoldTarget target, String matter, UserId placedBy, Instant placedAt) {
}
