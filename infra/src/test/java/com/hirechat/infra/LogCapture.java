package com.hirechat.infra;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Every record logged in this JVM during each test, for tests that pin what the server logs (register it per test). */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    private static final Logger ROOT = Logger.getLogger("");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeEach(ExtensionContext context) {
        records.clear();
        handler.setLevel(Level.ALL);
        ROOT.addHandler(handler);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ROOT.removeHandler(handler);
    }

    /** What was logged so far in this test, at any level. */
    List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** What was logged so far in this test at WARNING or above. */
    List<LogRecord> warnings() {
        return records.stream().filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }
}
