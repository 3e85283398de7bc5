package com.hirechat.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * The optional YAML file (Helidon config): keys under {@code hirechat:} mirror the environment variables,
 * {@code hirechat.jdbc.url} for {@code HIRECHAT_JDBC_URL}. Environment variables win over the file.
 */
final class ConfigFile {

    static final String FILE_VARIABLE = "HIRECHAT_CONFIG_FILE";
    private static final Path DEFAULT_FILE = Path.of("hirechat.yaml");
    private static final String ROOT = "hirechat";

    private ConfigFile() {
    }

    /** The settings from the environment, over those of the file it names (or ./hirechat.yaml when present). */
    static AppConfig load(Map<String, String> environment) {
        var named = environment.get(FILE_VARIABLE);
        var file = named == null || named.isBlank() ? DEFAULT_FILE : Path.of(named.strip());
        if (named != null && !named.isBlank() && !Files.isRegularFile(file)) {
            throw new com.hirechat.infra.ConfigException(FILE_VARIABLE, "names a file that does not exist: " + file);
        }
        var yamlKeys = new HashMap<String, String>();
        var fromFile = Files.isRegularFile(file) ? read(file, yamlKeys) : Map.<String, String>of();
        var merged = new HashMap<>(fromFile);
        merged.putAll(environment);
        var asked = new TreeSet<String>();
        var recording = new HashMap<>(merged) {
            @Override
            public String get(Object key) {
                asked.add((String) key);
                return super.get(key);
            }
        };
        var config = AppConfig.from(recording);
        var unknown = new TreeSet<>(fromFile.keySet());
        unknown.removeAll(asked);
        if (!unknown.isEmpty()) {
            throw new com.hirechat.infra.ConfigException(FILE_VARIABLE, "has unknown setting(s) " + unknown.stream()
                    .map(yamlKeys::get).collect(Collectors.joining(", ")) + " in " + file);
        }
        return config;
    }

    /** Settings by variable name; {@code yamlKeys} receives the file's own key for each, for messages. */
    static Map<String, String> read(Path file, Map<String, String> yamlKeys) {
        try {
            var config = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.file(file))
                    .build();
            var settings = new HashMap<String, String>();
            config.get(ROOT).traverse()
                    .filter(node -> node.isLeaf() || node.type() == Config.Type.LIST)
                    .forEach(node -> {
                        var key = node.key().toString();
                        if (node.type() == Config.Type.LIST) {
                            settings.put(variable(key), String.join(",", node.asList(String.class).get()));
                            yamlKeys.put(variable(key), key);
                        } else if (!isInsideList(config, key)) {
                            settings.put(variable(key), node.asString().get());
                            yamlKeys.put(variable(key), key);
                        }
                    });
            return settings;
        } catch (ConfigException e) {
            throw new com.hirechat.infra.ConfigException(FILE_VARIABLE, "cannot be read as YAML: " + e.getMessage());
        }
    }

    private static boolean isInsideList(Config root, String key) {
        var dot = key.lastIndexOf('.');
        return dot > 0 && root.get(key.substring(0, dot)).type() == Config.Type.LIST;
    }

    private static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
