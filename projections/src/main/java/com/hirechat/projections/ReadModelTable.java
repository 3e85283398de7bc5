package com.hirechat.projections;

/** One table a projection owns, by schema ({@code public} or {@code analytics}) and name. */
public record ReadModelTable(String schema, String name) {

    static ReadModelTable main(String name) {
        return new ReadModelTable("public", name);
    }

    static ReadModelTable analytics(String name) {
        return new ReadModelTable("analytics", name);
    }

    /** The live table, schema-qualified. */
    public String qualified() {
        return schema + "." + name;
    }

    /** The same table in the schema a rebuild writes instead of {@code schema}. */
    public String shadowIn(String shadowSchema) {
        return shadowSchema + "." + name;
    }
}
