package com.hirechat.web;

import java.text.Normalizer;

import com.hirechat.domain.Attachment;

/**
 * A file's name as the client gave it, made safe to keep and to offer back as a download name: any directories are
 * dropped (the part after the last {@code /} or {@code \}), control and format characters and the characters Windows
 * forbids ({@code <>:"|?*}) become {@code _}, leading dots and surrounding spaces go, and it is cut to
 * {@link Attachment#MAX_NAME} characters. A name with nothing left is refused ({@code invalid_attachment_name}).
 */
final class AttachmentNames {

    private AttachmentNames() {
    }

    static String sanitise(String raw) {
        var name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        var safe = new StringBuilder();
        name.codePoints().forEach(c -> {
            var type = Character.getType(c);
            var bad = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || "<>:\"|?*".indexOf(c) >= 0;
            safe.appendCodePoint(bad ? '_' : c);
        });
        var result = safe.toString().strip();
        while (result.startsWith(".")) {
            result = result.substring(1);
        }
        if (result.length() > Attachment.MAX_NAME) {
            var cut = Attachment.MAX_NAME;
            if (Character.isLowSurrogate(result.charAt(cut))) {
                cut--;
            }
            result = result.substring(0, cut);
        }
        result = result.strip();
        if (result.isEmpty() || !Attachment.isSafeName(result)) {
            throw ApiException.badRequest("invalid_attachment_name", "the file needs a name with letters or digits in it");
        }
        return result;
    }
}
