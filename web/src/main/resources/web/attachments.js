// Attachments in the browser client (docs/attachments.md): a tray of files above the composer, filled by the attach
// button, by dropping files on the conversation or by pasting images, each uploaded at once with its progress shown
// (XMLHttpRequest's upload events: fetch reports none), cancellable and retryable; and the files of a message, shown
// with download links and, for images, the server's re-encoded preview. Downloads and previews need the bearer token,
// so they are fetched and handed to the page as blob: URLs; nothing of a file is ever put into the page as HTML.

const IMAGE = /^image\//;

/** A file size as people read it. */
export function sizeLabel(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const REASONS = {
  attachment_too_large: 'too large',
  attachment_quota_exceeded: 'your storage for files is full',
  attachment_type_not_allowed: 'this kind of file is not accepted (PDF, DOCX, ODT, PNG, JPEG, WebP are)',
  attachment_polyglot: 'this file hides other content and is not accepted',
  attachment_empty: 'the file is empty',
  invalid_attachment_name: 'the file needs a name',
  not_a_participant: 'you are not in this conversation',
};

/**
 * The files waiting to go with the next message. {@code token()} and {@code conversation()} say where they go;
 * {@code onChange()} is told whenever what can be sent changes.
 */
export class AttachmentTray {
  constructor({ tray, input, button, dropZone, textarea, token, conversation, onChange }) {
    this.tray = tray;
    this.token = token;
    this.conversation = conversation;
    this.onChange = onChange ?? (() => {});
    this.items = [];
    button.onclick = () => input.click();
    input.onchange = () => {
      this.addAll(input.files);
      input.value = '';
    };
    dropZone.addEventListener('dragover', (event) => {
      if ([...(event.dataTransfer?.types ?? [])].includes('Files')) {
        event.preventDefault();
        dropZone.classList.add('dropping');
      }
    });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dropping'));
    dropZone.addEventListener('drop', (event) => {
      dropZone.classList.remove('dropping');
      if (event.dataTransfer?.files?.length) {
        event.preventDefault();
        this.addAll(event.dataTransfer.files);
      }
    });
    textarea.addEventListener('paste', (event) => {
      const images = [...(event.clipboardData?.files ?? [])].filter((file) => IMAGE.test(file.type));
      if (images.length) {
        event.preventDefault();
        this.addAll(images);
      }
    });
  }

  addAll(files) {
    if (!this.conversation()) return;
    for (const file of files) this.add(file);
  }

  add(file) {
    const item = { file, conversationId: this.conversation(), state: 'uploading', loaded: 0, id: null, reason: null,
      xhr: null, preview: IMAGE.test(file.type) ? URL.createObjectURL(file) : null };
    this.items.push(item);
    this.upload(item);
    this.render();
  }

  upload(item) {
    item.state = 'uploading';
    item.loaded = 0;
    item.reason = null;
    const xhr = new XMLHttpRequest();
    item.xhr = xhr;
    xhr.open('POST', `/api/conversations/${item.conversationId}/attachments?name=${encodeURIComponent(item.file.name || 'pasted image.png')}`);
    xhr.setRequestHeader('Authorization', `Bearer ${this.token()}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        item.loaded = event.loaded;
        this.updateProgress(item);
      }
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: reported below */ }
      if (xhr.status === 201 && body?.id) {
        item.state = 'ready';
        item.id = body.id;
        item.loaded = item.file.size;
      } else {
        item.state = 'failed';
        item.reason = REASONS[body?.error?.code] ?? body?.error?.message ?? `upload failed (${xhr.status})`;
      }
      this.render();
    };
    xhr.onerror = () => {
      item.state = 'failed';
      item.reason = 'the connection failed';
      this.render();
    };
    xhr.send(item.file);
  }

  cancel(item) {
    item.xhr?.abort();
    if (item.preview) URL.revokeObjectURL(item.preview);
    this.items = this.items.filter((other) => other !== item);
    this.render();
  }

  /** Ids of the uploaded files for this conversation, in the order they were added. */
  ready(conversationId) {
    return this.items.filter((item) => item.conversationId === conversationId && item.state === 'ready')
      .map((item) => item.id);
  }

  /** Whether a file for this conversation is still on its way (sending now would leave it behind). */
  busy(conversationId) {
    return this.items.some((item) => item.conversationId === conversationId && item.state === 'uploading');
  }

  /** The files went out with a message: the tray empties. */
  sent(conversationId) {
    for (const item of this.items.filter((i) => i.conversationId === conversationId && i.state === 'ready')) {
      if (item.preview) URL.revokeObjectURL(item.preview);
    }
    this.items = this.items.filter((item) => !(item.conversationId === conversationId && item.state === 'ready'));
    this.render();
  }

  updateProgress(item) {
    const bar = item.row?.querySelector('progress');
    if (bar) {
      bar.value = item.loaded;
      bar.max = item.file.size || 1;
      bar.setAttribute('aria-valuetext', `${Math.round((100 * item.loaded) / (item.file.size || 1))}%`);
    }
  }

  render() {
    const shown = this.items.filter((item) => item.conversationId === this.conversation());
    this.tray.hidden = shown.length === 0;
    this.tray.replaceChildren(...shown.map((item) => {
      const row = element('li', `upload ${item.state}`);
      item.row = row;
      row.dataset.state = item.state;
      if (item.preview) {
        const thumb = element('img', 'thumb');
        thumb.src = item.preview;
        thumb.alt = '';
        row.append(thumb);
      }
      const name = element('span', 'name', item.file.name || 'pasted image');
      name.dir = 'auto';
      row.append(name, element('span', 'size', sizeLabel(item.file.size)));
      if (item.state === 'uploading') {
        const bar = element('progress');
        bar.setAttribute('aria-label', `Uploading ${item.file.name}`);
        row.append(bar);
        this.updateProgress(item);
      }
      if (item.state === 'failed') {
        row.append(element('span', 'reason', item.reason));
        const retry = element('button', 'retry', 'Retry');
        retry.type = 'button';
        retry.onclick = () => { this.upload(item); this.render(); };
        row.append(retry);
      }
      const cancel = element('button', 'cancel', item.state === 'ready' ? 'Remove' : 'Cancel');
      cancel.type = 'button';
      cancel.setAttribute('aria-label', `${cancel.textContent} ${item.file.name}`);
      cancel.onclick = () => this.cancel(item);
      row.append(cancel);
      return row;
    }));
    this.onChange();
  }

  /** Forgets every file (the session ends). */
  dispose() {
    for (const item of this.items) {
      item.xhr?.abort();
      if (item.preview) URL.revokeObjectURL(item.preview);
    }
    this.items = [];
  }
}

/** The files of a stored message: a download link each, and the preview of images. */
export function renderAttachments(conversationId, attachments, token) {
  const list = element('ul', 'attachments');
  for (const file of attachments) {
    const item = element('li', 'attachment');
    item.dataset.id = file.id;
    if (file.erased) {
      item.append(element('span', 'name', 'File erased'));
      list.append(item);
      continue;
    }
    const base = `/api/conversations/${conversationId}/attachments/${file.id}`;
    if (IMAGE.test(file.type)) {
      const image = element('img', 'preview');
      image.alt = file.name;
      image.loading = 'lazy';
      fetchBlob(`${base}/preview`, token).then((url) => {
        image.onload = () => URL.revokeObjectURL(url);   // decoded: the page keeps the picture, not the blob
        image.src = url;
      }).catch(() => image.remove());
      item.append(image);
    }
    const link = element('a', 'download', file.name);
    link.dir = 'auto';
    link.href = '#';
    link.title = `Download ${file.name} (${sizeLabel(file.size)})`;
    link.onclick = async (event) => {
      event.preventDefault();
      try {
        const url = await fetchBlob(base, token);
        const save = element('a');
        save.href = url;
        save.download = file.name;
        document.body.append(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } catch {
        link.classList.add('unavailable');
        link.title = 'This file can no longer be downloaded';
      }
    };
    item.append(link, element('span', 'size', sizeLabel(file.size)));
    list.append(item);
  }
  return list;
}

// A message pushed live can arrive before the server's read model lets others download its files (a few hundred ms,
// docs/attachments.md): a 404 is asked again a few times before the file counts as unavailable.
async function fetchBlob(url, token, attempt = 0) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token()}` } });
  if (response.status === 404 && attempt < 5) {
    await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    return fetchBlob(url, token, attempt + 1);
  }
  if (!response.ok) throw new Error(`download failed: ${response.status}`);
  return URL.createObjectURL(await response.blob());
}
