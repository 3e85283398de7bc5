package com.hirechat.projections;

/** One table a projection owns, by schema ({@code public} or {@code analytics}) and name. */
public record ReadModelTable(String schema, String name) {

    static final ReadModelTable PARTICIPANTS = main("conversation_participants");
    static final ReadModelTable MEMBERSHIP = main("membership_changes");
    static final ReadModelTable HISTORY = main("message_history");
    static final ReadModelTable ATTACHMENTS = main("message_attachments");
    static final ReadModelTable CONTACTS = main("contacts");
    static final ReadModelTable CONVERSATIONS = main("conversations");
    static final ReadModelTable PROFILES = main("user_profiles");
    static final ReadModelTable JOB_LINKS = main("job_links");
    static final ReadModelTable ANALYTICS_MESSAGES = analytics("messages");
    static final ReadModelTable ANALYTICS_CONVERSATIONS = analytics("conversations");

    private static ReadModelTable main(String name) {
        return new ReadModelTable("public", name);
    }

    private static ReadModelTable analytics(String name) {
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
