package com.hirechat.infra.crypto;

import java.security.GeneralSecurityException;
import java.util.logging.Logger;

import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;
import com.hirechat.domain.UserProfileUpdated;
import com.hirechat.domain.UserRegistered;

/**
 * The event store's serializer with personal fields sealed (the store boundary): the {@code text} of
 * {@link MessageSent} and {@link MessageEdited}, and the {@code name} of each of a {@link MessageSent}'s attachments,
 * under the author's key for that conversation, a profile's
 * {@code displayName} and {@code avatarUrl} under the user's profile key. A sealed field is stored as the object
 * {@code {"keyId", "nonce", "ciphertext"}} where the plain form was a string, so a reader tells the two apart by the
 * JSON type alone and rows stored before encryption keep reading as they are. Reading opens sealed fields; one whose
 * key is gone (or that does not open) reads as {@link Erased#TEXT} (a name) or {@code null} (an avatar). Everything
 * else passes through to the wrapped serializer unchanged.
 */
public final class SealingSerializer implements Serializer {

    private static final Logger LOG = Logger.getLogger(SealingSerializer.class.getName());
    private static final String KEY_ID = "keyId";
    private static final String NONCE = "nonce";
    private static final String CIPHERTEXT = "ciphertext";

    private final Serializer delegate;
    private final KeyRing keys;

    public SealingSerializer(Serializer delegate, KeyRing keys) {
        this.delegate = delegate;
        this.keys = keys;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (!(object instanceof MessageSent || object instanceof MessageEdited || object instanceof UserRegistered
                || object instanceof UserProfileUpdated)) {
            return delegate.serialize(object, expectedRepresentation);
        }
        var tree = delegate.serialize(object, JsonNode.class);
        var payload = (ObjectNode) tree.getData().deepCopy();
        switch (object) {
            case MessageSent sent -> {
                var context = "sent|" + sent.messageId().value() + "|" + sent.seq();
                sealText(payload, sent.conversationId(), sent.sentBy(), context);
                sealAttachmentNames(payload, sent, context);
            }
            case MessageEdited edited -> sealText(payload, edited.conversationId(), edited.editedBy(),
                    "edited|" + edited.messageId().value() + "|" + edited.seq());
            case UserRegistered registered -> sealProfile(payload, registered.userId(),
                    registered.registeredAt().toString());
            case UserProfileUpdated updated -> sealProfile(payload, updated.userId(), updated.updatedAt().toString());
            default -> throw new IllegalStateException("not sealed: " + object.getClass());
        }
        var data = delegate.getConverter().convert(payload, JsonNode.class, expectedRepresentation);
        return new SimpleSerializedObject<>(data, expectedRepresentation, tree.getType());
    }

    private void sealText(ObjectNode payload, ConversationId conversation, UserId author, String context) {
        var key = keys.keyFor(KeySubject.messages(conversation, author));
        var aad = messageAad(conversation.value(), author.value(), key.id());
        payload.set("text", node(Sealer.seal(key, aad, context, payload.get("text").asText())));
    }

    /** A file's name says as much about a person as a text ("Jane Doe CV.pdf"): sealed under the same key. */
    private void sealAttachmentNames(ObjectNode payload, MessageSent sent, String context) {
        if (!(payload.get("attachments") instanceof com.fasterxml.jackson.databind.node.ArrayNode files)) {
            return;
        }
        var key = keys.keyFor(KeySubject.messages(sent.conversationId(), sent.sentBy()));
        var aad = messageAad(sent.conversationId().value(), sent.sentBy().value(), key.id());
        for (int i = 0; i < files.size(); i++) {
            var file = (ObjectNode) files.get(i);
            file.set("name", node(Sealer.seal(key, aad, context + "|attachment|" + i, file.get("name").asText())));
        }
    }

    private void sealProfile(ObjectNode payload, UserId user, String at) {
        var profile = (ObjectNode) payload.get("profile");
        var key = keys.keyFor(KeySubject.profile(user));
        for (var field : new String[] {"displayName", "avatarUrl"}) {
            var value = profile.get(field);
            if (value != null && value.isTextual()) {
                profile.set(field, node(Sealer.seal(key, profileAad(user.value(), field, key.id()),
                        "profile|" + user.value() + "|" + field + "|" + at, value.asText())));
            }
        }
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        var type = serializedObject.getType();
        Class<?> target = SerializedType.isEmptyType(type) ? Void.class : delegate.classForType(type);
        if (target != MessageSent.class && target != MessageEdited.class && target != UserRegistered.class
                && target != UserProfileUpdated.class) {
            return delegate.deserialize(serializedObject);
        }
        JsonNode tree = delegate.getConverter().convert(serializedObject, JsonNode.class).getData();
        if (!(tree instanceof ObjectNode object)) {
            return delegate.deserialize(serializedObject);
        }
        var payload = object.deepCopy();
        if (target == MessageSent.class || target == MessageEdited.class) {
            var author = target == MessageSent.class ? text(payload, "sentBy") : text(payload, "editedBy");
            openText(payload, "text", conversationAad(payload, author), Erased.TEXT);
            if (payload.get("attachments") instanceof com.fasterxml.jackson.databind.node.ArrayNode files) {
                for (var file : files) {
                    if (file instanceof ObjectNode fileNode) {
                        openText(fileNode, "name", conversationAad(payload, author), Erased.TEXT);
                    }
                }
            }
        } else if (payload.get("profile") instanceof ObjectNode profile) {
            var user = text(payload, "userId");
            openText(profile, "displayName", keyId -> profileAad(user, "displayName", keyId), Erased.TEXT);
            openText(profile, "avatarUrl", keyId -> profileAad(user, "avatarUrl", keyId), null);
        }
        return delegate.deserialize(new SimpleSerializedObject<>(payload, JsonNode.class, type));
    }

    private java.util.function.Function<String, String> conversationAad(ObjectNode payload, String author) {
        var conversation = text(payload, "conversationId");
        return keyId -> messageAad(conversation, author, keyId);
    }

    /** Replaces a sealed field by its text, or by {@code erased} when its key is gone or it does not open. */
    private void openText(ObjectNode holder, String field, java.util.function.Function<String, String> aad,
                          String erased) {
        if (!(holder.get(field) instanceof ObjectNode sealed)) {
            return; // plain (stored before encryption) or absent
        }
        var keyId = text(sealed, KEY_ID);
        var key = keys.key(keyId);
        if (key.isEmpty()) {
            holder.put(field, erased);
            return;
        }
        try {
            holder.put(field, Sealer.open(key.get(), aad.apply(keyId), new Sealer.Sealed(keyId,
                    Sealer.bytes(text(sealed, NONCE)), Sealer.bytes(text(sealed, CIPHERTEXT)))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // altered bytes: verification names the broken link; readers get the placeholder, never a failure
            LOG.warning("a sealed " + field + " under key " + keyId + " does not open: " + e.getMessage());
            holder.put(field, erased);
        }
    }

    private static String messageAad(String conversation, String author, String keyId) {
        return "message|" + conversation + "|" + author + "|" + keyId;
    }

    private static String profileAad(String user, String field, String keyId) {
        return "profile|" + user + "|" + field + "|" + keyId;
    }

    private static ObjectNode node(Sealer.Sealed sealed) {
        var node = JsonNodeFactory.instance.objectNode();
        node.put(KEY_ID, sealed.keyId());
        node.put(NONCE, Sealer.base64(sealed.nonce()));
        node.put(CIPHERTEXT, Sealer.base64(sealed.data()));
        return node;
    }

    private static String text(JsonNode node, String field) {
        var value = node.get(field);
        return value == null ? "" : value.asText();
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    public Class classForType(SerializedType type) {
        return delegate.classForType(type);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return delegate.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }
}
