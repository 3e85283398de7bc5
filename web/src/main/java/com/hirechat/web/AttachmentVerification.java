package com.hirechat.web;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageSent;

/**
 * Checks the stored bytes of every file the record names against the record: each file's SHA-256 and size, as
 * {@code MessageSent} holds them (covered by the chain), recomputed from the store. A file whose key was destroyed
 * (erasure, retention) is counted as erased, not as broken: the record says it existed, nothing can read it now.
 */
final class AttachmentVerification {

    private final AttachmentStore store;

    AttachmentVerification(AttachmentStore store) {
        this.store = store;
    }

    /** One file that does not match the record. */
    record Broken(long seq, String sha256, String problem) {
    }

    record Result(int checked, int intact, int erased, List<Broken> broken) {

        boolean allIntact() {
            return broken.isEmpty();
        }

        Map<String, Object> view() {
            var view = new LinkedHashMap<String, Object>();
            view.put("checked", checked);
            view.put("intact", intact);
            view.put("erased", erased);
            view.put("broken", broken);
            return view;
        }
    }

    Result verify(ConversationId conversation, List<ConversationEvent> events) {
        record File(long seq, MessageSent message, com.hirechat.domain.Attachment attachment) {
        }
        var seen = new LinkedHashSet<String>();
        var files = new ArrayList<File>();
        for (var event : events) {
            if (event instanceof MessageSent sent) {
                for (var attachment : sent.attachments()) {
                    // one check per stored file: the same upload sent twice is one file
                    if (seen.add(sent.sentBy().value() + "|" + attachment.sha256())) {
                        files.add(new File(sent.seq(), sent, attachment));
                    }
                }
            }
        }
        int intact = 0;
        int erased = 0;
        var broken = new ArrayList<Broken>();
        for (var file : files) {
            var bytes = store.open(conversation, file.message().sentBy(), file.attachment().sha256());
            if (bytes.isEmpty()) {
                erased++;
                continue;
            }
            try (var in = bytes.get()) {
                var digest = MessageDigest.getInstance("SHA-256");
                var buffer = new byte[64 * 1024];
                long size = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
                var hash = HexFormat.of().formatHex(digest.digest());
                if (!hash.equals(file.attachment().sha256()) || size != file.attachment().size()) {
                    broken.add(new Broken(file.seq(), file.attachment().sha256(),
                            "the stored bytes do not match the record"));
                } else {
                    intact++;
                }
            } catch (IOException e) {
                broken.add(new Broken(file.seq(), file.attachment().sha256(), "the stored bytes do not read: "
                        + e.getMessage()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
        }
        return new Result(files.size(), intact, erased, broken);
    }
}
