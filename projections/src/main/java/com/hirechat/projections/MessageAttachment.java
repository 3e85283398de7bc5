package com.hirechat.projections;

/** A file a message carries, as the history shows it: an erased one (its sender's key destroyed) has an empty name. */
public record MessageAttachment(long seq, String senderId, String sha256, String name, long size, String type,
                                boolean erased) {
}
