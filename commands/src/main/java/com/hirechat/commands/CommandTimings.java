package com.hirechat.commands;

/** Where the write side reports how long each command took (metrics live outside this module). */
@FunctionalInterface
public interface CommandTimings {

    CommandTimings NONE = (command, nanos, succeeded) -> { };

    void record(String command, long nanos, boolean succeeded);
}
