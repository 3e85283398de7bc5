package com.hirechat.infra;

/** A configuration value is missing or invalid; the message names the variable. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String key, String problem) {
        super(key + " " + problem, null, false, false);
    }
}
