// The durable outbox: messages typed but not yet acknowledged by the server, kept in localStorage per person so a
// reload, a crash or a dead network loses none of them. Each keeps the clientMessageId it got when it was typed, so
// sending it again can never store it twice (the server answers a repeat with the original ack).
//
// Order: per conversation, one message is in flight at a time and the next goes only after its ack, so messages
// arrive in the order they were typed even when the server rate-limits a burst (a refused one is retried with
// back-off, and the ones behind it wait). A message the server refuses for good (e.g. the sender was removed) is
// marked failed and leaves the queue; the person may retry it (it then goes after the ones already queued) or discard it.

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8000;

/** The storage key of one person's outbox: a hash, so the keys do not list who used this browser. */
export async function outboxKey(userId) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(userId));
  const hex = [...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, '0')).join('');
  return `hirechat-outbox.${hex}`;
}

/** One person's unsent messages. `transmit(item)` puts a send frame on the socket and says whether it could. */
export class Outbox {
  constructor(storageKey, { transmit, later, onChange }) {
    this.key = storageKey;
    this.transmit = transmit;
    this.later = later;
    this.onChange = onChange;
    this.items = this.load();
    this.inFlight = new Map();     // conversationId -> clientMessageId sent and not yet answered
    this.backoff = new Map();      // conversationId -> next back-off after a transient refusal
    this.waiting = new Set();      // conversations backing off
    this.online = false;
  }

  load() {
    try {
      const stored = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(stored) ? stored.filter((i) => i && i.clientMessageId && i.conversationId) : [];
    } catch {
      return [];
    }
  }

  save() {
    if (this.items.length) localStorage.setItem(this.key, JSON.stringify(this.items));
    else localStorage.removeItem(this.key);
    this.onChange();
  }

  /** Keeps a new message (durably, before anything is sent) and sends it when its turn comes. */
  add(conversationId, text, attachments = []) {
    const item = { clientMessageId: crypto.randomUUID(), conversationId, text, attachments,
      createdAt: new Date().toISOString(), state: 'queued', reason: null };
    this.items.push(item);
    this.save();
    this.pump();
    return item;
  }

  get(clientMessageId) {
    return this.items.find((i) => i.clientMessageId === clientMessageId);
  }

  of(conversationId) {
    return this.items.filter((i) => i.conversationId === conversationId);
  }

  /** The socket is open: send the head of every conversation's queue. */
  connected() {
    this.online = true;
    this.pump();
  }

  /** The socket is gone: whatever was in flight is sent again (same clientMessageId) once it is back. */
  disconnected() {
    this.online = false;
    this.inFlight.clear();
  }

  pump() {
    if (!this.online) return;
    for (const item of this.items) {
      if (item.state !== 'queued' || this.inFlight.has(item.conversationId) || this.waiting.has(item.conversationId)) {
        continue;
      }
      if (!this.transmit(item)) return;
      this.inFlight.set(item.conversationId, item.clientMessageId);
    }
  }

  /** The server stored it: it leaves the outbox and the next of its conversation goes. */
  acked(clientMessageId) {
    const item = this.get(clientMessageId);
    if (!item) return null;
    this.items = this.items.filter((i) => i !== item);
    if (this.inFlight.get(item.conversationId) === clientMessageId) this.inFlight.delete(item.conversationId);
    this.backoff.delete(item.conversationId);
    this.save();
    this.pump();
    return item;
  }

  /** The server refused it: transient refusals are retried after a back-off, the others mark it failed. */
  refused(clientMessageId, code, reason, transient) {
    const item = this.get(clientMessageId);
    if (!item) return;
    const { conversationId } = item;
    if (this.inFlight.get(conversationId) === clientMessageId) this.inFlight.delete(conversationId);
    if (transient) {
      const delay = this.backoff.get(conversationId) ?? FIRST_BACKOFF_MS;
      this.backoff.set(conversationId, Math.min(delay * 2, MAX_BACKOFF_MS));
      this.waiting.add(conversationId);
      this.later(() => {
        this.waiting.delete(conversationId);
        this.pump();
      }, delay * (0.8 + Math.random() * 0.4));
      this.onChange();
      return;
    }
    Object.assign(item, { state: 'failed', code, reason });
    this.save();
    this.pump();
  }

  /** The person was removed from the conversation: nothing queued for it can ever be stored. */
  failConversation(conversationId, reason) {
    let changed = false;
    for (const item of this.of(conversationId)) {
      if (item.state !== 'failed') {
        Object.assign(item, { state: 'failed', code: 'not_a_participant', reason });
        changed = true;
      }
    }
    this.inFlight.delete(conversationId);
    if (changed) this.save();
  }

  /** Queues a failed message again, after the ones already waiting, with its clientMessageId. */
  retry(clientMessageId) {
    const item = this.get(clientMessageId);
    if (!item || item.state !== 'failed') return;
    this.items = this.items.filter((i) => i !== item);
    this.items.push(Object.assign(item, { state: 'queued', code: null, reason: null }));
    this.save();
    this.pump();
  }

  discard(clientMessageId) {
    this.items = this.items.filter((i) => i.clientMessageId !== clientMessageId);
    this.save();
  }
}
