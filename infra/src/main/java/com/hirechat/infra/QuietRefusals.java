package com.hirechat.infra;

import java.util.logging.Logger;

import org.axonframework.modelling.command.AggregateNotFoundException;

/**
 * Keeps commands for conversations that do not exist out of the log. Axon's repository logs every failed load as a
 * warning with its stack trace (~22 lines) before the command is refused; a missing conversation is an ordinary
 * refusal (403 {@code not_a_participant}), and any signed-in user could send them as fast as they like.
 */
final class QuietRefusals {

    /** Held here: JUL keeps loggers only weakly, and a collected logger would lose its filter. */
    private static final Logger REPOSITORY = Logger.getLogger("org.axonframework.modelling.command.AbstractRepository");

    private QuietRefusals() {
    }

    /** Drops the repository's records about missing aggregates; every other load failure is still logged. */
    static void install() {
        REPOSITORY.setFilter(record -> !(record.getThrown() instanceof AggregateNotFoundException));
    }
}
