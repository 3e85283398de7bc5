package com.hirechat.infra;

import java.util.logging.LogManager;

/** The JVM's log manager, kept working through shutdown until the server's own shutdown hook has logged its last line. */
public final class ShutdownLogManager extends LogManager {

    /**
     * {@code java.util.logging} resets itself from a shutdown hook of its own, concurrently with ours: whatever our hook
     * logged after that reset went nowhere, so the lines of a drain were lost in some runs. While held, the reset waits
     * for {@link #release()}.
     */
    private volatile boolean held;

    /**
     * Used by {@link LogManager} itself, when named by the {@code java.util.logging.manager} system property; {@link Main}
     * sets it first thing (any use of this class before that would initialise {@link LogManager}, which then picks its
     * manager without it).
     */
    public ShutdownLogManager() {
    }

    /** Keeps the handlers through the JVM's shutdown until {@link #release()}; false when another manager is in use. */
    static boolean holdThroughShutdown() {
        if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
            manager.held = true;
            return true;
        }
        return false;
    }

    /** Done logging: the reset that waited runs now (it flushes and closes the handlers). */
    static void release() {
        if (LogManager.getLogManager() instanceof ShutdownLogManager manager && manager.held) {
            manager.held = false;
            manager.reset();
        }
    }

    @Override
    public void reset() {
        // readConfiguration resets too, before anything is held; only the shutdown's reset is put off
        if (!held) {
            super.reset();
        }
    }
}
