// HireChat browser client: plain ES modules, no build step. Every text is rendered with textContent (never as HTML).
// How it behaves (sessions, the durable outbox, reconnect and resume, history paging, layout, accessibility):
// docs/browser-client.md.
//
// Everything that belongs to the person signed in lives in one session (createSession): their state, their copy of
// the chat's markup, every timer, the socket, every listener and request in flight. Ending it (sign-out, a token the
// server refuses, someone else signing in in this tab) disposes all of that at once and puts a fresh, empty copy of
// the markup back; the next sign-in starts a new session from nothing. The one thing kept beyond a session is the
// person's own outbox of unsent messages (localStorage, under a key only their next session looks for).

import { dayKey, dayLabel, fullDateTime, sidebarTime, timeOfDay } from './time.js';
import { MAX_CODE_POINTS, OFFLINE, codePoints, describeError, isTransient, renderWithLinks } from './text.js';
import { Outbox, outboxKey } from './outbox.js';
import { wireSettings } from './settings.js';
import { AttachmentTray, renderAttachments } from './attachments.js';

const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;
const PAGE_SIZE = 50;                 // history messages per request
const LOAD_OLDER_WITHIN_PX = 40;      // scrolled this close to the top of #messages loads the previous page
const AT_BOTTOM_WITHIN_PX = 40;
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 5000;        // a chat that stays away longer than this feels broken
const PING_EVERY_MS = 30000;          // the server closes sockets that stay silent
const CONTACTS_EVERY_MS = 5000;       // only for a server without the inbox channel (subscribe_inbox unknown)
const HEADER_RETRY_MS = 300;
const HEADER_RETRIES = 30;
const SEARCH_DELAY_MS = 200;
const GROUPED_WITHIN_MS = 5 * 60 * 1000;   // consecutive messages of one sender this close share one header
const STORAGE_PREFIX = 'hirechat.';   // every sessionStorage key of this page starts with it
const SESSION_ENDED = 'Your session has ended; sign in again.';
const APP_TITLE = 'HireChat';

const byId = (id) => document.getElementById(id);

// The chat as served, before anyone signed in. Each session shows its own copy and ending it puts a new copy back, so
// nothing a session rendered (messages, header, contacts, a draft in the composer, an error) can outlive it, whatever
// is added to the markup later. A disposed session's late work can only reach its own copy, which is off the page.
const PRISTINE_CHAT = byId('chat').cloneNode(true);

/** What the work of an ended session gets instead of a result, so none of it carries on. */
class SessionEnded extends Error {
  constructor() {
    super('the session has ended');
    this.name = 'SessionEnded';
  }
}

/** A sign-in the server refused (as opposed to one that could not reach it): the stored credentials are useless. */
function refused(message) {
  return Object.assign(new Error(message), { refused: true });
}

/** An error from the API, carrying its stable code; its message is the human sentence for that code. */
function apiError(status, body) {
  const code = body?.error?.code ?? (status >= 500 ? 'unavailable' : 'unknown');
  return Object.assign(new Error(describeError(code)), { code, status });
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * Makes `list` show `items` ({key, sig, build}) in order, rebuilding only the elements whose signature changed. An
 * element that did not change stays the same node: a focused button keeps its focus and an open editor its text.
 */
function reconcile(list, items) {
  const existing = new Map([...list.children].map((el) => [el.dataset.key, el]));
  const wanted = new Set(items.map((i) => i.key));
  for (const [key, el] of existing) if (!wanted.has(key)) el.remove();
  let position = 0;
  for (const item of items) {
    let el = existing.get(item.key);
    if (!el || el.dataset.sig !== item.sig) {
      const built = item.build();
      built.dataset.key = item.key;
      built.dataset.sig = item.sig;
      // a control that had the focus gets it back in the rebuilt element (controls are marked with data-focus)
      const focused = el?.contains(document.activeElement) ? document.activeElement.dataset.focus : undefined;
      if (el) el.replaceWith(built);
      if (focused) built.querySelector(`[data-focus="${focused}"]`)?.focus();
      el = built;
    }
    if (list.children[position] !== el) list.insertBefore(el, list.children[position] ?? null);
    position += 1;
  }
}

let current = null;   // the one live session of this tab; null while signed out

/**
 * One person's time on the page, from sign-in to sign-out. `onEnd(reason)` is called when the session finds
 * out it is over (its token is refused, or the person signs out); the caller then disposes it.
 */
function createSession(onEnd) {
  const root = PRISTINE_CHAT.cloneNode(true);
  const $ = (id) => root.querySelector(`#${id}`);   // only ever this session's copy of the markup
  const abort = new AbortController();             // cancels its requests and removes its listeners
  const timeouts = new Set();
  const intervals = new Set();
  const startedAt = Date.now();
  let socket = null;
  let renewing = null;   // a development sign-in being renewed, shared by every request that got a 401 meanwhile
  let outbox = null;
  let tray = null;       // files waiting to go with the next message (attachments.js)
  let pollTimer = null;

  const state = {
    user: null,
    token: null,
    devName: null,              // {user, displayName, profileRole}: a name sign-in, renewed when its token expires
    connected: false,
    inbox: null,                // true once the server confirmed the per-user channel; false if it does not know it
    reconnectDelay: RECONNECT_FIRST_MS,
    contacts: [],
    open: null,                 // conversationId shown on the right
    header: null,               // GET /api/conversations/{id} of the open conversation
    lastSeq: new Map(),         // conversationId -> highest event seq applied, for resuming after a reconnect
    messages: new Map(),        // conversationId -> Map(seq -> message)
    membership: new Map(),      // conversationId -> Map(seq -> {userId, change, by, at}): join/leave lines
    readMarks: new Map(),       // conversationId -> Map(userId -> upToSeq)
    sent: new Map(),            // clientMessageId -> acknowledged message whose stored frame has not arrived yet
    typing: new Map(),          // conversationId -> Map(userId -> time last seen typing)
    jobs: new Map(),            // conversationId -> Map(jobId -> title), from the header and from job_linked frames
    olderFrom: new Map(),       // conversationId -> `before` of the next older history page; null once all is loaded
    divider: new Map(),         // conversationId -> seq of the first unread message when it was opened
    profiles: new Map(),        // userId -> {displayName, avatarUrl}
    linkNames: new Map(),       // userId -> the name a link gave, shown until a profile exists
    editing: null,              // {conversationId, seq} of the message being edited inline
    errors: new Map(),          // topic -> sentence shown above the composer until that problem is gone
    loadingOlder: false,
    lastTypingSent: 0,
    usersSearch: null,          // false when the server has no GET /api/users search
    contactsLoaded: false,
    announced: new Set(),       // conversationId:seq of messages already announced
  };

  const alive = () => !abort.signal.aborted;

  // The only ways a session waits or listens: all of it is undone by dispose().
  function later(fn, ms) {
    if (!alive()) return null;
    const id = setTimeout(() => {
      timeouts.delete(id);
      if (alive()) fn();
    }, ms);
    timeouts.add(id);
    return id;
  }

  function every(fn, ms) {
    if (!alive()) return null;
    const id = setInterval(() => {
      if (alive()) fn();
    }, ms);
    intervals.add(id);
    return id;
  }

  function on(target, type, listener) {
    target.addEventListener(type, listener, { signal: abort.signal });
  }

  function dispose() {
    abort.abort();
    for (const id of timeouts) clearTimeout(id);
    for (const id of intervals) clearInterval(id);
    timeouts.clear();
    intervals.clear();
    if (socket) {
      const closing = socket;
      socket = null;
      // detached first: its close event must not schedule a reconnect
      closing.onopen = closing.onmessage = closing.onclose = closing.onerror = null;
      closing.close(1000, 'signed out');
    }
    state.connected = false;
    // The outbox stays in this person's own storage slot (their next sign-in sends it); nothing of it stays in
    // memory or on the page, and nobody else's session reads that slot.
    outbox = null;
    tray?.dispose();
    tray = null;
    document.title = APP_TITLE;
    if (root.isConnected) root.replaceWith(PRISTINE_CHAT.cloneNode(true));
  }

  /** Tells the page the session is over and stops the caller: nothing after it runs. */
  function end(reason) {
    onEnd(reason);
    throw new SessionEnded();
  }

  // Every request of the session: cancelled when it ends, and never continued after it ended.
  async function request(path, init = {}) {
    if (!alive()) throw new SessionEnded();
    let response;
    let body;
    try {
      response = await fetch(path, { ...init, signal: abort.signal });
      body = response.status === 204 ? {} : await response.json().catch(() => ({}));
    } catch (e) {
      if (!alive()) throw new SessionEnded();
      throw Object.assign(new Error(OFFLINE), { code: 'offline', cause: e });
    }
    if (!alive()) throw new SessionEnded();
    return { response, body };
  }

  async function api(path, { retried = false, ...init } = {}) {
    const { response, body } = await request(path, {
      ...init,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
    });
    if (response.status === 401) {
      if (state.devName && !retried) {
        await renewDevToken();
        return api(path, { ...init, retried: true });
      }
      end(SESSION_ENDED);
    }
    if (!response.ok) throw apiError(response.status, body);
    return body;
  }

  // Development sign-in (the local run only): any name gets a token, signed with a secret that dies with the server
  // process. A name sign-in is renewed under the same name; a host-site token cannot be, and its session ends.
  async function login({ user, displayName, profileRole }) {
    const body = { userId: user };
    // a name registers (or renames) the profile; without one the profile stays as it is
    if (displayName) Object.assign(body, { displayName, profileRole: profileRole || 'other' });
    const { response, body: answer } = await request('/api/dev/login', { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) {
      const error = apiError(response.status, answer);
      if (response.status >= 500) throw error;                      // the server's trouble: tried again later
      if (state.user) end(SESSION_ENDED);   // renewing, and the server no longer signs this name in
      throw refused(error.message);
    }
    if (state.user && answer.userId !== state.user) end(SESSION_ENDED);   // a session is one person
    state.user = answer.userId;
    state.token = answer.token;
    state.devName = { user: state.user, displayName, profileRole };
    // per tab, so two windows can be two people
    sessionStorage.setItem(`${STORAGE_PREFIX}user`, JSON.stringify(state.devName));
  }

  function renewDevToken() {
    renewing ??= login(state.devName).finally(() => { renewing = null; });
    return renewing;
  }

  // The host site's sign-in: it links here with its token in the fragment (#token=…), which browsers never send
  // to any server, and the page keeps it for this tab only.
  async function adoptToken(token) {
    const { response, body } = await request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) throw refused('That sign-in link has expired or is not valid; sign in again.');
    if (!response.ok) throw apiError(response.status, body);
    state.user = body.userId;
    state.token = token;
    state.devName = null;
    if (body.profile) state.profiles.set(body.userId, body.profile);
    sessionStorage.setItem(`${STORAGE_PREFIX}token`, token);
    sessionStorage.removeItem(`${STORAGE_PREFIX}user`);
  }

  // ---------------------------------------------------------------- the socket

  // A browser is not told why an upgrade was refused (no status, no body): before every reconnect the page asks
  // GET /api/me, and a 401 there ends the session (or renews a name sign-in) instead of retrying forever.
  function connect() {
    if (!alive()) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws?access_token=${encodeURIComponent(state.token)}`);
    socket = ws;
    ws.onopen = () => {
      state.connected = true;
      state.reconnectDelay = RECONNECT_FIRST_MS;
      clearError('network');
      showConnection();
      // The per-user channel: every event of every conversation of this person, new ones included. A server without
      // it answers unknown_type, and then each conversation is subscribed on its own and the sidebar is polled.
      if (state.inbox !== false) send({ type: 'subscribe_inbox' });
      if (state.inbox !== true) for (const contact of state.contacts) if (!contact.left) subscribe(contact.conversationId);
      if (state.open) subscribeOpen(state.open);
      outbox.connected();
    };
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      onFrame(frame);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      state.connected = false;
      outbox.disconnected();
      showConnection();
      renderMessages();
      // jitter keeps the tabs of a restarted server from all coming back in the same millisecond
      const delay = state.reconnectDelay * (0.8 + Math.random() * 0.4);
      later(async () => {
        try {
          await api('/api/me');
        } catch (e) {
          if (e instanceof SessionEnded) return;
          // the server is unreachable: the socket attempt fails too and schedules the next one
        }
        connect();
      }, delay);
      state.reconnectDelay = Math.min(state.reconnectDelay * 2, RECONNECT_MAX_MS);
    };
  }

  function send(frame) {
    if (!state.connected || !socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  // Always resume from a known seq: the server then replays everything after it from the event store, so a
  // reconnect or a lagging read model can never leave a gap. Frames already applied change nothing.
  function subscribe(conversationId) {
    const contact = state.contacts.find((c) => c.conversationId === conversationId);
    const afterSeq = state.lastSeq.get(conversationId) ?? contact?.lastSeq ?? 0;
    send({ type: 'subscribe', conversationId, afterSeq });
  }

  // The open conversation is replayed from just before its oldest loaded message, so the read receipts and the
  // join/leave lines of what is on screen are known too, not only what happens from now on.
  function subscribeOpen(conversationId) {
    const loaded = [...messagesOf(conversationId).keys()];
    const afterSeq = loaded.length ? Math.max(0, Math.min(...loaded) - 1) : 0;
    send({ type: 'subscribe', conversationId, afterSeq });
  }

  function startPolling() {
    if (pollTimer === null) pollTimer = every(refreshSoon, CONTACTS_EVERY_MS);
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'ack': return onAck(frame);
      case 'error': return onError(frame);
      case 'typing': return onTyping(frame);
      case 'inbox_subscribed':
        if (state.inbox !== true) {
          state.inbox = true;
          // the inbox brings every conversation's events: only the one on screen keeps its own subscription
          // (for its replay from a seq, and typing)
          for (const contact of state.contacts) {
            if (contact.conversationId !== state.open && !contact.left) {
              send({ type: 'unsubscribe', conversationId: contact.conversationId });
            }
          }
        }
        if (pollTimer !== null) {
          clearInterval(pollTimer);
          intervals.delete(pollTimer);
          pollTimer = null;
        }
        // a live hint, not a log: what happened before it opened (or while the socket was down) comes from the sidebar
        refreshSoon();
        return undefined;
      case 'inbox': return onInbox(frame);
      default: break;
    }
    if (frame.seq === undefined || !frame.conversationId) return undefined;
    const { conversationId } = frame;
    state.lastSeq.set(conversationId, Math.max(state.lastSeq.get(conversationId) ?? 0, frame.seq));
    switch (frame.type) {
      case 'message': onMessage(frame); break;
      case 'edited': onEdited(frame); break;
      case 'redacted': onRedacted(frame); break;
      case 'read': {
        const marks = readMarksOf(conversationId);
        marks.set(frame.userId, Math.max(marks.get(frame.userId) ?? 0, frame.upToSeq));
        if (frame.userId === state.user) clearUnreadUpTo(conversationId, frame.upToSeq);
        break;
      }
      case 'participant_added':
        membershipOf(conversationId).set(frame.seq,
          { userId: frame.userId, change: 'added', by: frame.addedBy, at: frame.addedAt });
        if (frame.userId === state.user) markJoined(conversationId);
        refreshHeader(conversationId);
        break;
      case 'participant_removed':
        membershipOf(conversationId).set(frame.seq,
          { userId: frame.userId, change: 'removed', by: frame.removedBy, at: frame.removedAt });
        if (frame.userId === state.user) markLeft(conversationId, frame.removedBy);
        refreshHeader(conversationId);
        break;
      case 'job_linked':
        jobsOf(conversationId).set(frame.jobId, frame.title);
        if (conversationId === state.open) renderHeader();
        break;
      default: break;
    }
    if (conversationId === state.open) {
      renderMessages();
      markReadIfVisible();
    }
    return undefined;
  }

  // The per-user channel: every event of every conversation of this person, and the start of new ones.
  function onInbox({ conversationId, event }) {
    if (!event) return;
    const known = contactOf(conversationId);
    // a conversation started with us, or a group we were added to: names, title and counts come with its sidebar row
    // (also for a row this tab made up for a conversation it started an instant before the sidebar had it)
    if (!known || known.provisional) refreshSoon();
    if (event.type === 'started') return;
    onFrame({ conversationId, ...event });
  }

  // One sidebar fetch at a time; asks made while one runs are served by one more fetch after it.
  let refreshing = null;
  let refreshAgain = false;
  function refreshSoon() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = refreshContacts().catch(() => {}).finally(() => {
      refreshing = null;
      if (refreshAgain && alive()) {
        refreshAgain = false;
        refreshSoon();
      }
    });
  }

  function messagesOf(conversationId) {
    if (!state.messages.has(conversationId)) state.messages.set(conversationId, new Map());
    return state.messages.get(conversationId);
  }

  function membershipOf(conversationId) {
    if (!state.membership.has(conversationId)) state.membership.set(conversationId, new Map());
    return state.membership.get(conversationId);
  }

  function jobsOf(conversationId) {
    if (!state.jobs.has(conversationId)) state.jobs.set(conversationId, new Map());
    return state.jobs.get(conversationId);
  }

  function readMarksOf(conversationId) {
    if (!state.readMarks.has(conversationId)) state.readMarks.set(conversationId, new Map());
    return state.readMarks.get(conversationId);
  }

  function contactOf(conversationId) {
    return state.contacts.find((c) => c.conversationId === conversationId);
  }

  function onMessage(message) {
    const known = messagesOf(message.conversationId);
    const isNew = !known.has(message.seq);
    const stored = known.get(message.seq);
    // a replay may bring an older version of a message the history already showed edited: keep the edit
    known.set(message.seq, stored ? { ...message, ...stored } : message);
    if (message.senderId === state.user) {
      state.sent.delete(message.clientMessageId);
      outbox.acked(message.clientMessageId);   // stored, whether or not its ack reached this tab
    }
    typersOf(message.conversationId).delete(message.senderId);
    const contact = contactOf(message.conversationId);
    if (!contact) {
      // a conversation this tab does not know yet: its row is fetched, and this message applied to it then (the
      // sidebar is a read model and may not have it yet)
      refreshSoon();
      return;
    }
    applyToContact(contact, message, isNew);
  }

  /** Messages this tab has that the sidebar row does not reflect yet: the row catches up with them. */
  function applyKnownMessages(contact) {
    const newer = [...messagesOf(contact.conversationId).values()]
      .filter((m) => m.seq > (contact.lastSeq ?? 0)).sort((a, b) => a.seq - b.seq);
    for (const message of newer) applyToContact(contact, message, true);
  }

  function applyToContact(contact, message, isNew) {
    if (message.seq > (contact.lastSeq ?? 0)) {       // not already counted in the sidebar we loaded
      contact.lastSeq = message.seq;
      contact.lastMessagePreview = message.erased ? null : message.text;
      contact.lastMessageSenderId = message.senderId;
      contact.lastMessageRemoved = false;
      contact.lastMessageErased = Boolean(message.erased);
      contact.lastActivity = message.sentAt;
      if (message.senderId !== state.user) {
        const visible = message.conversationId === state.open && !document.hidden && atBottom();
        if (!visible) contact.unreadCount = (contact.unreadCount ?? 0) + 1;
        if (isNew) announceIncoming(message, contact, visible);
        if (message.conversationId === state.open && !atBottom() && !state.divider.has(state.open)) {
          state.divider.set(state.open, message.seq);   // the reader is scrolled up: mark where the new ones start
        }
      }
    }
    renderContacts();
  }

  function onEdited(edit) {
    const message = messagesOf(edit.conversationId).get(edit.messageSeq);
    if (message && !(message.editSeq > edit.seq)) {
      Object.assign(message, { text: edit.text, editedAt: edit.editedAt, editSeq: edit.seq, erased: Boolean(edit.erased) });
    }
    const contact = contactOf(edit.conversationId);
    if (contact && contact.lastSeq !== undefined && latestMessageSeq(edit.conversationId) === edit.messageSeq) {
      contact.lastMessagePreview = edit.erased ? null : edit.text;
      contact.lastMessageErased = Boolean(edit.erased);
      renderContacts();
    }
  }

  function onRedacted(redaction) {
    const message = messagesOf(redaction.conversationId).get(redaction.messageSeq);
    if (message) Object.assign(message, { text: '', redacted: true });
    if (state.editing?.seq === redaction.messageSeq && state.editing.conversationId === redaction.conversationId) {
      state.editing = null;
    }
    // the sidebar must not keep showing a removed message (or count it as unread) until the next refresh; a
    // conversation never opened in this tab is known only by its sidebar row, whose lastSeq is its last message's
    const contact = contactOf(redaction.conversationId);
    if (!contact) return;
    const latest = message ? latestMessageSeq(redaction.conversationId) === redaction.messageSeq
      : contact.lastSeq === redaction.messageSeq;
    const senderId = message?.senderId ?? (latest ? contact.lastMessageSenderId : undefined);
    if (latest && !contact.lastMessageRemoved) {
      contact.lastMessagePreview = '';
      contact.lastMessageRemoved = true;
      if (senderId && senderId !== state.user && contact.unreadCount > 0
          && redaction.messageSeq > (readMarksOf(redaction.conversationId).get(state.user) ?? contact.readUpTo ?? 0)) {
        contact.unreadCount -= 1;
      }
    } else if (!latest && senderId && senderId !== state.user && contact.unreadCount > 0 && !message?.redactionCounted
        && redaction.messageSeq > (readMarksOf(redaction.conversationId).get(state.user) ?? contact.readUpTo ?? 0)) {
      contact.unreadCount -= 1;
      message.redactionCounted = true;
    }
    renderContacts();
  }

  function latestMessageSeq(conversationId) {
    return Math.max(0, ...messagesOf(conversationId).keys());
  }

  function clearUnreadUpTo(conversationId, upToSeq) {
    const contact = contactOf(conversationId);
    if (contact && upToSeq >= (contact.lastSeq ?? 0)) {
      contact.unreadCount = 0;
      renderContacts();
    }
  }

  function markLeft(conversationId, removedBy) {
    const contact = contactOf(conversationId);
    if (contact) {
      contact.left = true;
      contact.removedBy = removedBy;
    }
    outbox.failConversation(conversationId, describeError('not_a_participant'));
    if (conversationId === state.open) {
      setComposer(false);
      showLeftNotice(removedBy);
    }
    renderContacts();
  }

  function markJoined(conversationId) {
    const contact = contactOf(conversationId);
    if (contact?.left) {
      contact.left = false;
      if (conversationId === state.open) {
        setComposer(true);
        $('left-notice').hidden = true;
      }
      renderContacts();
    }
  }

  function showLeftNotice(removedBy) {
    const notice = $('left-notice');
    const readOnly = 'You can read what was said before, but not write here.';
    if (removedBy === state.user) notice.textContent = `You left this conversation. ${readOnly}`;
    else if (removedBy) notice.textContent = `${nameOf(removedBy)} removed you from this conversation. ${readOnly}`;
    else notice.textContent = `You are no longer in this conversation. ${readOnly}`;
    notice.hidden = false;
  }

  function onAck(ack) {
    const item = outbox.acked(ack.clientMessageId);
    if (item && !messagesOf(ack.conversationId).has(ack.seq)) {
      state.sent.set(ack.clientMessageId, { ...item, seq: ack.seq, sentAt: ack.sentAt });
    }
    if (![...outbox.items].some((i) => i.state === 'failed')) clearError('send');
    renderMessages();
  }

  function onError(error) {
    const item = error.clientMessageId && outbox.get(error.clientMessageId);
    if (item) {
      const transient = isTransient(error.code);
      outbox.refused(error.clientMessageId, error.code, describeError(error.code), transient);
      if (error.code === 'not_a_participant') markLeft(item.conversationId, null);
      setError('send', describeError(error.code));
    } else if (error.code === 'unknown_type' && state.inbox === null) {
      state.inbox = false;   // a server without the per-user channel: new conversations are found by polling
      startPolling();
      return;
    } else if (error.code === 'not_a_participant' && error.conversationId) {
      // removed while this tab was away: the subscription (or an edit, a read) is refused
      if (!contactOf(error.conversationId)?.left) markLeft(error.conversationId, null);
    } else if (error.code) {
      setError('action', describeError(error.code));
    }
    renderMessages();
  }

  function typersOf(conversationId) {
    if (!state.typing.has(conversationId)) state.typing.set(conversationId, new Map());
    return state.typing.get(conversationId);
  }

  function onTyping(frame) {
    typersOf(frame.conversationId).set(frame.userId, Date.now());
    if (frame.conversationId === state.open) renderTyping();
    later(renderTyping, TYPING_SHOWN_MS + 50);
  }

  // ---------------------------------------------------------------- attention: announcements, title, notifications

  function announceIncoming(message, contact, visible) {
    // replays of what happened before this page opened are history, not news; each message is news once
    if (Date.parse(message.sentAt) < startedAt - 60_000) return;
    const key = `${message.conversationId}:${message.seq}`;
    if (state.announced.has(key)) return;
    state.announced.add(key);
    const who = nameOf(message.senderId, message.conversationId);
    const announcer = $('announcer');
    announcer.textContent = message.conversationId === state.open
      ? `${who}: ${message.text}`
      : `New message from ${who} in ${contact.displayName}`;
    if (!visible && 'Notification' in window && Notification.permission === 'granted') {
      const note = new Notification(contact.kind === 'GROUP' ? `${who} in ${contact.displayName}` : who,
        { body: message.text.slice(0, 200), tag: message.conversationId, dir: 'auto' });
      note.onclick = () => {
        window.focus();
        openConversation(message.conversationId).catch(reportError('action'));
      };
    }
  }

  function updateTitle() {
    const unread = state.contacts.reduce((sum, c) => sum + (c.left ? 0 : (c.unreadCount ?? 0)), 0);
    document.title = unread > 0 ? `(${unread}) ${APP_TITLE}` : APP_TITLE;
  }

  function showNotifyButton() {
    const button = $('notify');
    button.hidden = !('Notification' in window) || Notification.permission !== 'default';
  }

  // ---------------------------------------------------------------- errors

  function setError(topic, text) {
    state.errors.set(topic, text);
    renderErrors();
  }

  function clearError(topic) {
    if (state.errors.delete(topic)) renderErrors();
  }

  function renderErrors() {
    $('chat-error').textContent = [...state.errors.values()].at(-1) ?? '';
  }

  function reportError(topic) {
    return (e) => {
      if (e instanceof SessionEnded) return;
      setError(topic, e.code ? e.message : describeError(e));
    };
  }

  // ---------------------------------------------------------------- the sidebar

  async function refreshContacts() {
    const { contacts } = await api('/api/contacts');
    const known = new Map(state.contacts.map((c) => [c.conversationId, c]));
    const first = !state.contactsLoaded;
    state.contactsLoaded = true;
    state.contacts = contacts.map((fresh) => mergeContact(known.get(fresh.conversationId), fresh));
    for (const [conversationId, local] of known) {
      // started this instant and not in the read model yet: keep it until it is
      if (local.provisional && !contacts.some((c) => c.conversationId === conversationId)) state.contacts.push(local);
    }
    for (const contact of contacts) {
      if (!known.has(contact.conversationId) && !contact.left && state.inbox !== true) subscribe(contact.conversationId);
      if (contact.kind !== 'GROUP' && contact.counterpartId) {
        rememberProfile(contact.counterpartId, contact.displayName, contact.avatarUrl);
      }
    }
    for (const contact of state.contacts) if (!contact.left) applyKnownMessages(contact);
    for (const contact of state.contacts) {
      // a conversation someone else just started: its first messages arrive with its row, not as frames
      if (!first && !known.has(contact.conversationId) && contact.unreadCount > 0 && !contact.left
          && contact.lastMessageSenderId && contact.lastMessageSenderId !== state.user) {
        announceIncoming({ conversationId: contact.conversationId, seq: contact.lastSeq, senderId: contact.lastMessageSenderId,
          text: contact.lastMessagePreview ?? '', sentAt: contact.lastActivity }, contact, false);
      }
    }
    clearError('network');
    renderContacts();
  }

  // The sidebar is a read model and may lag behind the frames this tab has already applied: keep whichever is newer,
  // or a message that arrived live would vanish from the preview (and its unread badge flicker) until the next poll.
  function mergeContact(local, fresh) {
    const merged = { ...fresh };
    if (local && (local.lastSeq ?? 0) > (fresh.lastSeq ?? 0)) {
      for (const key of ['lastSeq', 'lastMessagePreview', 'lastMessageRemoved', 'lastMessageErased', 'lastActivity',
        'unreadCount', 'lastMessageSenderId']) {
        merged[key] = local[key];
      }
    }
    if (local?.left && !fresh.left && (local.lastSeq ?? 0) >= (fresh.lastSeq ?? 0)) merged.left = true;
    // a profile-less counterpart is shown by the name the link gave, not by their id
    if (fresh.kind !== 'GROUP' && fresh.displayName === fresh.counterpartId && state.linkNames.has(fresh.counterpartId)) {
      merged.displayName = state.linkNames.get(fresh.counterpartId);
    }
    if (fresh.conversationId === state.open && atBottom() && !document.hidden) merged.unreadCount = 0;
    return merged;
  }

  function rememberProfile(userId, displayName, avatarUrl) {
    if (displayName && displayName !== userId) state.profiles.set(userId, { displayName, avatarUrl });
  }

  function nameOf(userId, conversationId = state.open) {
    if (userId === state.user) return 'You';
    if (conversationId === state.open) {
      const member = state.header?.participants?.find((p) => p.userId === userId);
      if (member?.displayName && member.displayName !== userId) return member.displayName;
    }
    return state.profiles.get(userId)?.displayName ?? state.linkNames.get(userId) ?? userId;
  }

  function avatar(name, url) {
    const el = element('span', 'avatar');
    el.setAttribute('aria-hidden', 'true');
    if (url && /^https?:/i.test(url)) {
      const img = document.createElement('img');
      img.src = url;
      img.alt = '';
      img.referrerPolicy = 'no-referrer';
      el.append(img);
    } else {
      el.textContent = [...(name ?? '?')][0]?.toUpperCase() ?? '?';
    }
    return el;
  }

  function previewOf(contact) {
    if (contact.lastMessageRemoved) return 'Message removed';
    // its author was erased: the text can no longer be read (docs/compliance.md#erasure)
    if (contact.lastMessageErased) return 'Message erased';
    if (contact.lastMessagePreview == null) return 'No messages yet';
    const mine = contact.lastMessageSenderId === state.user;
    return mine ? `You: ${contact.lastMessagePreview}` : contact.lastMessagePreview;
  }

  function renderContacts() {
    const now = new Date();
    const sorted = [...state.contacts].sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
    reconcile($('contacts'), sorted.map((contact) => {
      const active = contact.conversationId === state.open;
      const time = contact.lastActivity ? sidebarTime(new Date(contact.lastActivity), now) : '';
      const preview = previewOf(contact);
      const unread = contact.left ? 0 : (contact.unreadCount ?? 0);
      const sig = JSON.stringify([contact.displayName, contact.avatarUrl, contact.left, active, time, preview, unread]);
      return {
        key: contact.conversationId,
        sig,
        build: () => {
          const item = element('li', 'contact' + (active ? ' active' : '') + (contact.left ? ' left' : ''));
          item.dataset.conversationId = contact.conversationId;
          const button = element('button', 'contact-button');
          button.type = 'button';
          button.dataset.focus = 'open';
          if (active) button.setAttribute('aria-current', 'true');
          const text = element('span', 'contact-text');
          const top = element('span', 'contact-top');
          const name = element('span', 'name', contact.displayName + (contact.left ? ' (left)' : ''));
          name.dir = 'auto';
          const when = element('time', 'when', time);
          if (contact.lastActivity) when.dateTime = contact.lastActivity;
          top.append(name, when);
          const previewEl = element('span', 'preview', preview);
          previewEl.dir = 'auto';
          text.append(top, previewEl);
          button.append(avatar(contact.displayName, contact.avatarUrl), text);
          if (unread > 0) {
            const badge = element('span', 'badge', String(unread));
            badge.setAttribute('aria-label', `${unread} unread`);
            button.append(badge);
          }
          button.onclick = () => openConversation(contact.conversationId).catch(reportError('action'));
          item.append(button);
          return item;
        },
      };
    }));
    updateTitle();
    updateJump();   // its count is the open conversation's unread count
  }

  // ---------------------------------------------------------------- the conversation

  function renderHeader() {
    const jobs = $('jobs');
    jobs.replaceChildren();
    for (const [jobId, title] of jobsOf(state.open ?? '')) {
      const chip = element('a', 'job', `Job: ${title}`);
      chip.href = `/jobs.html#${encodeURIComponent(jobId)}`;
      chip.dir = 'auto';
      jobs.append(chip);
    }
    const header = state.header;
    $('members').hidden = header?.kind !== 'GROUP';
    if (header?.kind === 'GROUP') {
      const others = header.participants.map((p) => (p.userId === state.user ? 'you' : p.displayName));
      $('conversation-title').textContent = header.title;
      $('conversation-title').title = others.join(', ');
      $('members').textContent = `Members (${header.participants.length})`;
    } else if (header) {
      // the profile name, also when the sidebar has not caught up with a conversation started this instant
      const other = header.participants.find((p) => p.userId !== state.user);
      if (other) {
        const name = other.displayName !== other.userId ? other.displayName : nameOf(other.userId);
        $('conversation-title').textContent = name;
        const contact = contactOf(state.open);
        const placeholder = contact && (contact.displayName === other.userId
          || contact.displayName === state.linkNames.get(other.userId));
        if (placeholder && contact.displayName !== name && name !== other.userId) {
          contact.displayName = name;
          renderContacts();
        }
      }
    }
    for (const p of header?.participants ?? []) rememberProfile(p.userId, p.displayName, p.avatarUrl);
  }

  function renderTyping() {
    const now = Date.now();
    const typers = [...typersOf(state.open ?? '').entries()]
      .filter(([, at]) => now - at < TYPING_SHOWN_MS).map(([user]) => nameOf(user));
    $('typing').textContent = typers.length ? `${typers.join(', ')} ${typers.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  function atBottom() {
    const list = $('messages');
    return list.scrollHeight - list.scrollTop - list.clientHeight < AT_BOTTOM_WITHIN_PX;
  }

  /** Who has read the message at `seq` (not its sender), for "Seen" and "Seen by …". */
  function readersOf(seq) {
    return [...readMarksOf(state.open).entries()]
      .filter(([user, upTo]) => user !== state.user && upTo >= seq).map(([user]) => user);
  }

  function deliveryOf(message) {
    const readers = readersOf(message.seq);
    if (state.header?.kind === 'GROUP') {
      const others = state.header.participants.filter((p) => p.userId !== state.user);
      if (readers.length && others.length && others.every((p) => readers.includes(p.userId))) return 'Seen by everyone';
      return readers.length ? `Seen by ${readers.map((u) => nameOf(u)).join(', ')}` : 'Sent';
    }
    return readers.length ? 'Seen' : 'Sent';
  }

  /** The timeline of the open conversation: day separators, messages, join/leave lines, the unread divider, the outbox. */
  function timeline() {
    const conversationId = state.open;
    const entries = [];
    for (const m of messagesOf(conversationId).values()) entries.push({ seq: m.seq, kind: 'message', m });
    for (const [seq, line] of membershipOf(conversationId)) entries.push({ seq, kind: 'membership', line });
    if (state.header?.kind === 'GROUP' && state.header.startedAt && state.olderFrom.get(conversationId) == null) {
      entries.push({ seq: 0, kind: 'started' });
    }
    entries.sort((a, b) => a.seq - b.seq);
    const storedIds = new Set([...messagesOf(conversationId).values()].map((m) => m.clientMessageId));
    for (const s of state.sent.values()) {
      if (s.conversationId === conversationId && !storedIds.has(s.clientMessageId)) {
        entries.push({ seq: s.seq, kind: 'outgoing', item: s, status: 'sent' });
      }
    }
    for (const item of outbox.of(conversationId)) {
      if (!storedIds.has(item.clientMessageId)) entries.push({ seq: Infinity, kind: 'outgoing', item, status: item.state });
    }
    return entries;
  }

  function atOf(entry) {
    if (entry.kind === 'message') return entry.m.sentAt;
    if (entry.kind === 'membership') return entry.line.at;
    if (entry.kind === 'started') return state.header.startedAt;
    return entry.item.sentAt ?? entry.item.createdAt;
  }

  // Follows the conversation while the reader is at the bottom; leaves them where they are while they read older messages.
  function renderMessages({ toBottom = false, keepFromBottom } = {}) {
    const list = $('messages');
    if (!state.open || !outbox) {
      list.replaceChildren();
      return;
    }
    const wasAtBottom = atBottom();
    const previousTop = list.scrollTop;
    const items = [];
    const divider = state.divider.get(state.open);
    let lastDay = null;
    let previous = null;   // the message before, for grouping
    for (const entry of timeline()) {
      const at = new Date(atOf(entry));
      const day = dayKey(at);
      if (day !== lastDay) {
        lastDay = day;
        previous = null;
        const label = dayLabel(at);
        items.push({ key: `day-${day}`, sig: label, build: () => separator('day', label) });
      }
      if (divider !== undefined && entry.kind === 'message' && entry.seq === divider) {
        items.push({ key: 'divider', sig: 'divider', build: () => separator('divider', 'New messages') });
        previous = null;
      }
      if (entry.kind === 'membership' || entry.kind === 'started') {
        const text = entry.kind === 'started' ? startedLine() : membershipLine(entry.line);
        items.push({ key: `m-${entry.seq}`, sig: text, build: () => systemLine(text, at) });
        previous = null;
        continue;
      }
      const senderId = entry.kind === 'message' ? entry.m.senderId : state.user;
      const grouped = previous !== null && previous.senderId === senderId && at - previous.at < GROUPED_WITHIN_MS;
      previous = { senderId, at };
      items.push(entry.kind === 'message' ? storedBubble(entry.m, grouped) : outgoingBubble(entry, grouped));
    }
    reconcile(list, items);
    renderTyping();
    if (keepFromBottom !== undefined) list.scrollTop = list.scrollHeight - keepFromBottom;   // older page added above
    else if (toBottom || wasAtBottom) list.scrollTop = list.scrollHeight;
    else list.scrollTop = previousTop;
    updateJump();
  }

  function separator(kind, label) {
    const item = element('li', kind);
    item.append(element('span', null, label));
    return item;
  }

  function systemLine(text, at) {
    const item = element('li', 'system', text);
    item.dir = 'auto';
    item.title = fullDateTime(at);
    return item;
  }

  function startedLine() {
    const by = state.header.startedBy;
    return `${by === state.user ? 'You' : nameOf(by)} created the group “${state.header.title}”`;
  }

  function membershipLine({ userId, change, by }) {
    const who = userId === state.user ? 'You' : nameOf(userId);
    if (change === 'added') return by && by !== userId ? `${nameOf(by)} added ${who === 'You' ? 'you' : who}` : `${who} joined`;
    if (!by || by === userId) return `${who} left`;
    return `${nameOf(by)} removed ${who === 'You' ? 'you' : who}`;
  }

  function storedBubble(m, grouped) {
    const mine = m.senderId === state.user;
    const at = new Date(m.sentAt);
    const gone = m.redacted || m.erased;   // removed, or its author erased (docs/compliance.md#erasure)
    const editing = state.editing?.conversationId === state.open && state.editing.seq === m.seq && !gone;
    const delivery = mine && !gone ? deliveryOf(m) : '';
    const senderName = m.senderName && m.senderName !== m.senderId && !mine ? m.senderName : nameOf(m.senderId);
    const files = m.redacted ? [] : m.attachments ?? [];
    const sig = JSON.stringify([m.text, m.redacted, m.erased, m.editedAt, delivery, grouped, editing, senderName, files]);
    return {
      key: `s-${m.seq}`,
      sig,
      build: () => {
        const meta = [timeOfDay(at)];
        if (m.editedAt && !gone) meta.push('edited');
        if (delivery) meta.push(delivery);
        const item = bubble({ text: m.redacted ? 'Message removed' : m.erased ? 'Message erased' : m.text, mine, grouped,
          senderName, meta: meta.join(' · '), at, state: 'stored', links: !gone });
        item.dataset.seq = String(m.seq);
        if (m.clientMessageId) item.dataset.clientMessageId = m.clientMessageId;
        if (gone) item.classList.add('removed');
        if (files.length) item.querySelector('.text').after(renderAttachments(state.open, files, () => state.token));
        if (editing) item.querySelector('.text').replaceWith(editor(m));
        else if (mine && !gone && !contactOf(state.open)?.left) item.append(actions(m, at));
        return item;
      },
    };
  }

  function outgoingBubble(entry, grouped) {
    const { item: p, status } = entry;
    const shown = status === 'failed' ? 'failed' : status === 'sent' ? 'sent' : 'sending';
    const label = shown === 'failed' ? `Not sent: ${p.reason ?? 'refused'}` : shown === 'sent' ? 'Sent'
      : state.connected ? 'Sending…' : 'Waiting for connection…';
    const at = new Date(p.sentAt ?? p.createdAt);
    return {
      key: `c-${p.clientMessageId}`,
      sig: JSON.stringify([p.text, label, grouped]),
      build: () => {
        const item = bubble({ text: p.text, mine: true, grouped, senderName: 'You', meta: `${timeOfDay(at)} · ${label}`,
          at, state: shown, links: true });
        item.dataset.clientMessageId = p.clientMessageId;
        if (shown === 'failed') item.append(failedActions(p));
        return item;
      },
    };
  }

  function bubble({ text, mine, grouped, senderName, meta, at, state: shown, links }) {
    const item = element('li', 'message' + (mine ? ' mine' : '') + (grouped ? ' grouped' : ''));
    item.dataset.state = shown;
    item.dataset.sender = senderName;
    if (shown === 'sending' || shown === 'sent') item.classList.add('pending');
    if (shown === 'failed') item.classList.add('failed');
    const sender = element('div', 'sender', senderName);
    sender.dir = 'auto';
    if (grouped) sender.classList.add('visually-hidden');   // still read out, not shown again
    const body = element('div', 'text');
    body.dir = 'auto';
    if (links) renderWithLinks(body, text);
    else body.textContent = text;
    const info = element('div', 'meta');
    const time = element('time', null, meta);
    time.dateTime = at.toISOString();
    time.title = fullDateTime(at);
    info.append(time);
    item.append(sender, body, info);
    return item;
  }

  // A failed message can be sent again (same clientMessageId: never stored twice) or dropped.
  function failedActions(p) {
    const bar = element('div', 'actions always');
    const retry = element('button', 'retry', 'Retry');
    retry.type = 'button';
    retry.dataset.focus = 'retry';
    retry.onclick = () => {
      outbox.retry(p.clientMessageId);
      clearError('send');
      renderMessages();
    };
    const discard = element('button', null, 'Discard');
    discard.type = 'button';
    discard.dataset.focus = 'discard';
    discard.onclick = () => {
      outbox.discard(p.clientMessageId);
      clearError('send');
      renderMessages();
    };
    if (contactOf(p.conversationId)?.left) retry.disabled = true;
    bar.append(retry, discard);
    return bar;
  }

  function actions(message, at) {
    const bar = element('div', 'actions');
    const edit = element('button', 'edit', 'Edit');
    edit.type = 'button';
    edit.dataset.focus = 'edit';
    edit.setAttribute('aria-label', `Edit your message from ${timeOfDay(at)}`);
    edit.onclick = () => {
      state.editing = { conversationId: state.open, seq: message.seq };
      renderMessages();
      const field = $('messages').querySelector('.editor textarea');
      field?.focus();
      field?.setSelectionRange(field.value.length, field.value.length);
    };
    const remove = element('button', 'remove', 'Remove');
    remove.type = 'button';
    remove.dataset.focus = 'remove';
    remove.setAttribute('aria-label', `Remove your message from ${timeOfDay(at)}`);
    remove.onclick = async () => {
      const ok = await confirmDialog('Remove this message?',
        'Everyone in the conversation will see “Message removed” instead of it. This cannot be undone.', 'Remove');
      if (ok) {
        if (!send({ type: 'redact', conversationId: state.open, messageId: message.messageId })) {
          setError('action', 'You are offline; try again when the connection is back.');
        }
      }
      $('messages').querySelector(`[data-seq="${message.seq}"] .remove`)?.focus();
    };
    bar.append(edit, remove);
    return bar;
  }

  // Inline edit: Enter saves, Shift+Enter is a new line, Escape cancels (nothing is sent).
  function editor(message) {
    const form = element('form', 'editor');
    const label = element('label', 'visually-hidden', 'Edit message');
    const field = document.createElement('textarea');
    field.id = `edit-${message.seq}`;
    label.htmlFor = field.id;
    field.dir = 'auto';
    field.rows = 2;
    field.value = message.text;
    const save = element('button', null, 'Save');
    save.type = 'submit';
    const cancel = element('button', 'secondary', 'Cancel');
    cancel.type = 'button';
    const stop = () => {
      state.editing = null;
      renderMessages();
      $('messages').querySelector(`[data-seq="${message.seq}"] .edit`)?.focus();
    };
    cancel.onclick = stop;
    form.onsubmit = (event) => {
      event.preventDefault();
      const text = field.value;
      const count = codePoints(text);
      if (!text.trim() || count > MAX_CODE_POINTS) {
        setError('action', describeError(text.trim() ? 'text_too_long' : 'empty_text'));
        return;
      }
      if (text !== message.text) {
        if (!send({ type: 'edit', conversationId: state.open, messageId: message.messageId, text })) {
          setError('action', 'You are offline; try again when the connection is back.');
          return;
        }
      }
      clearError('action');
      stop();
    };
    field.onkeydown = (event) => {
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        stop();
      } else if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    };
    form.append(label, field, save, cancel);
    return form;
  }

  function updateJump() {
    const jump = $('jump');
    const hidden = !state.open || atBottom();
    jump.hidden = hidden;
    if (!hidden) {
      const unread = contactOf(state.open)?.unreadCount ?? 0;
      jump.textContent = unread > 0 ? `${unread} new · Jump to latest` : 'Jump to latest';
    }
  }

  function showConnection() {
    const el = $('connection');
    el.className = 'connection ' + (state.connected ? 'online' : 'offline');
    el.textContent = state.connected ? 'Online' : 'Offline, reconnecting…';
    $('reconnecting').hidden = state.connected;
  }

  // Shown and usable only with a conversation open that this person is still in; the markup starts disabled.
  function setComposer(enabled) {
    $('composer').hidden = !enabled;
    for (const control of $('composer').elements) control.disabled = !enabled;
    if (enabled) updateCounter();
  }

  function updateCounter() {
    const count = codePoints($('text').value);
    const counter = $('counter');
    const over = count - MAX_CODE_POINTS;
    counter.textContent = over > 0
      ? `${count.toLocaleString()} / ${MAX_CODE_POINTS.toLocaleString()}: ${over.toLocaleString()} too many`
      : `${count.toLocaleString()} / ${MAX_CODE_POINTS.toLocaleString()}`;
    counter.classList.toggle('over', over > 0);
    counter.hidden = count < MAX_CODE_POINTS * 0.75;
    $('text').setAttribute('aria-invalid', over > 0 ? 'true' : 'false');
    if (over <= 0) clearError('length');
  }

  function markReadIfVisible() {
    if (!state.open || document.hidden || !atBottom()) return;
    // up to the newest message: receipts take seqs too, and reading them would only produce more receipts
    const upToSeq = latestMessageSeq(state.open);
    const marks = readMarksOf(state.open);
    const contact = contactOf(state.open);
    if (contact && contact.unreadCount) {
      contact.unreadCount = 0;
      renderContacts();
    }
    if (upToSeq > (marks.get(state.user) ?? 0) && !contact?.left) {
      if (send({ type: 'read', conversationId: state.open, upToSeq })) marks.set(state.user, upToSeq);
    }
  }

  function sendText(text, attachments = []) {
    if (!state.open || (!text.trim() && !attachments.length)) return false;
    if (codePoints(text) > MAX_CODE_POINTS) {
      setError('length', `That message is ${(codePoints(text) - MAX_CODE_POINTS).toLocaleString()} characters too long `
        + `(at most ${MAX_CODE_POINTS.toLocaleString()}). Shorten it or split it in two.`);
      return false;
    }
    outbox.add(state.open, text, attachments);   // kept durably first; goes out when its turn comes and the socket is open
    state.divider.delete(state.open);
    renderMessages({ toBottom: true });
    return true;
  }

  // ---------------------------------------------------------------- opening and starting conversations

  async function refreshHeader(conversationId, attempt = 0) {
    if (conversationId !== state.open) return;
    try {
      state.header = await api(`/api/conversations/${conversationId}`);
      for (const job of state.header.jobs ?? []) jobsOf(conversationId).set(job.jobId, job.title);
      for (const line of state.header.membership ?? []) {
        membershipOf(conversationId).set(line.seq, { userId: line.userId, change: line.change, by: line.by, at: line.at });
      }
    } catch (e) {
      if (e instanceof SessionEnded) return;
      // a conversation started an instant ago: its header (names, jobs) follows in a moment
      if (e.code === 'not_ready' && attempt < HEADER_RETRIES) {
        later(() => refreshHeader(conversationId, attempt + 1), HEADER_RETRY_MS);
      }
    }
    if (conversationId !== state.open) return;
    renderHeader();
    renderMessages();
  }

  function showConversationPane(shown) {
    root.classList.toggle('in-conversation', shown);
  }

  async function openConversation(conversationId, fallbackTitle = 'Conversation') {
    const switching = state.open !== conversationId;
    if (switching && state.open && state.inbox === true && !contactOf(state.open)?.left) {
      send({ type: 'unsubscribe', conversationId: state.open });   // the inbox keeps its sidebar row current
    }
    state.open = conversationId;
    tray?.render();
    // a reload comes back to this conversation, if the same person is still signed in
    sessionStorage.setItem(`${STORAGE_PREFIX}open`, JSON.stringify({ user: state.user, conversationId }));
    if (switching) {
      state.header = null;
      state.editing = null;
      $('messages').replaceChildren();
      $('left-notice').hidden = true;
    }
    clearError('action');
    showConversationPane(true);
    const contact = contactOf(conversationId);
    $('conversation-title').textContent = contact ? contact.displayName : fallbackTitle;
    $('members').hidden = contact?.kind !== 'GROUP';
    if (contact?.unreadCount > 0 && switching) {
      state.divider.set(conversationId, null);   // placed once the history is here
    } else if (switching) {
      state.divider.delete(conversationId);
    }
    renderContacts();
    const { messages, nextBefore } = await api(`/api/conversations/${conversationId}/messages?limit=${PAGE_SIZE}`);
    if (state.open !== conversationId) return;                  // the user moved on while it loaded
    const seen = messagesOf(conversationId);
    for (const m of messages) {
      if (!seen.has(m.seq)) seen.set(m.seq, m);
      if (m.senderName && m.senderName !== m.senderId) rememberProfile(m.senderId, m.senderName, m.senderAvatarUrl);
    }
    // opened before: older pages may already be here, so keep the oldest known page boundary
    if (!state.olderFrom.has(conversationId)) state.olderFrom.set(conversationId, nextBefore);
    if (state.divider.get(conversationId) === null) {
      const readUpTo = contact?.readUpTo ?? 0;
      const firstUnread = [...seen.values()].filter((m) => m.seq > readUpTo && m.senderId !== state.user)
        .map((m) => m.seq).sort((a, b) => a - b)[0];
      if (firstUnread === undefined) state.divider.delete(conversationId);
      else state.divider.set(conversationId, firstUnread);
    }
    if (contact) readMarksOf(conversationId).set(state.user, Math.max(contact.readUpTo ?? 0,
      readMarksOf(conversationId).get(state.user) ?? 0));
    setComposer(!contact?.left);
    if (contact?.left) showLeftNotice(contact.removedBy);
    if (!contact?.left) subscribeOpen(conversationId);
    renderMessages({ toBottom: true });
    scrollToDivider();
    await refreshHeader(conversationId);
    markReadIfVisible();
    fillWithHistory();
    if (!contact?.left && window.matchMedia('(min-width: 701px)').matches) $('text').focus();
  }

  function scrollToDivider() {
    const divider = $('messages').querySelector('.divider');
    if (divider) $('messages').scrollTop = Math.max(0, divider.offsetTop - $('messages').offsetTop - 8);
  }

  // Scrolling up to the top of the conversation loads the previous page and keeps the reader on the same message.
  async function loadOlder() {
    const conversationId = state.open;
    const before = state.olderFrom.get(conversationId);
    if (!conversationId || before == null || state.loadingOlder) return;
    state.loadingOlder = true;
    try {
      const { messages, nextBefore } =
        await api(`/api/conversations/${conversationId}/messages?before=${before}&limit=${PAGE_SIZE}`);
      const known = messagesOf(conversationId);
      for (const m of messages) if (!known.has(m.seq)) known.set(m.seq, m);   // what the tab has is at least as new
      state.olderFrom.set(conversationId, nextBefore);
      clearError('history');
      if (conversationId === state.open) {
        const list = $('messages');
        renderMessages({ keepFromBottom: list.scrollHeight - list.scrollTop });
      }
    } catch (e) {
      reportError('history')(e);
      return;
    } finally {
      state.loadingOlder = false;
    }
    fillWithHistory();
  }

  // A page that does not fill the view leaves nothing to scroll up with: load until it does, or all is loaded.
  function fillWithHistory() {
    const list = $('messages');
    if (state.open && list.scrollHeight <= list.clientHeight) loadOlder();
  }

  async function startChatWith(user, job, name = null) {
    if (name) state.linkNames.set(user, name);
    const body = job ? { with: user, job } : { with: user };
    const { conversationId, counterpartId } = await api('/api/conversations', { method: 'POST', body: JSON.stringify(body) });
    await refreshContacts();
    if (!contactOf(conversationId)) {
      // the sidebar is a read model and may not have caught up with a conversation started this instant
      state.contacts.push({ conversationId, kind: 'DIRECT', counterpartId, displayName: nameOf(counterpartId, null),
        lastSeq: 0, unreadCount: 0, lastActivity: new Date().toISOString(), lastMessagePreview: null, readUpTo: 0,
        provisional: true });
    }
    clearError('start');
    await openConversation(conversationId, nameOf(counterpartId, null));
  }

  async function createGroup(title, participants) {
    const { conversationId } = await api('/api/conversations', {
      method: 'POST', body: JSON.stringify({ title, participants }),
    });
    await refreshContacts();
    if (!contactOf(conversationId)) {
      state.contacts.push({ conversationId, kind: 'GROUP', displayName: title, lastSeq: 0, unreadCount: 0,
        lastActivity: new Date().toISOString(), lastMessagePreview: null, readUpTo: 0, provisional: true });
    }
    await openConversation(conversationId, title);
  }

  async function reopenRemembered() {
    const remembered = JSON.parse(sessionStorage.getItem(`${STORAGE_PREFIX}open`) ?? 'null');
    if (remembered?.user !== state.user) return;   // another person's conversation is not reopened
    const { conversationId } = remembered;
    // opened even when the sidebar has not caught up with a conversation started an instant before the reload
    try {
      await openConversation(conversationId);
    } catch (e) {
      if (e instanceof SessionEnded) throw e;
      if (e.code !== 'not_a_participant') throw e;
      state.open = null;
      sessionStorage.removeItem(`${STORAGE_PREFIX}open`);
      showConversationPane(false);
      $('conversation-title').textContent = 'Pick a contact or start a chat';
      setComposer(false);
    }
  }

  // ---------------------------------------------------------------- finding people

  /**
   * Registered people matching `query` (GET /api/users?q=). On a server without that search, an exact user name
   * is looked up instead (GET /api/users/{id}), so a chat is still only started with someone who exists.
   */
  async function searchPeople(query) {
    const q = query.trim();
    if (!q) return [];
    let found = [];
    if (state.usersSearch !== false) {
      try {
        const { users } = await api(`/api/users?q=${encodeURIComponent(q)}&limit=8`);
        state.usersSearch = true;
        for (const u of users) rememberProfile(u.userId, u.displayName, u.avatarUrl);
        found = users.filter((u) => u.userId !== state.user);
      } catch (e) {
        if (e instanceof SessionEnded || e.code !== 'not_found') throw e;
        state.usersSearch = false;
      }
    }
    // a user name typed in full finds that person even if the search matches names only
    if (found.some((u) => u.userId === q) || !/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(q) || q === state.user) {
      return found;
    }
    try {
      const profile = await api(`/api/users/${encodeURIComponent(q)}`);
      rememberProfile(profile.userId, profile.displayName, profile.avatarUrl);
      return [profile, ...found];
    } catch (e) {
      if (e instanceof SessionEnded || (e.code !== 'unknown_user' && e.code !== 'not_found')) throw e;
      return found;
    }
  }

  /**
   * A search field with its list of people: typing searches, ArrowDown moves into the results, Enter picks the
   * focused person (or, in the field, the one whose user name or name matches exactly, else the only result).
   */
  function peoplePicker(input, results, onPick, { exclude = () => [], errorTopic, showError }) {
    let timer = null;
    let latest = 0;
    let found = [];
    const render = (people, query) => {
      found = people.filter((p) => !exclude().includes(p.userId));
      results.replaceChildren();
      for (const person of found) {
        const item = element('li');
        const button = element('button', 'person');
        button.type = 'button';
        const label = element('span', 'name', person.displayName);
        label.dir = 'auto';
        button.append(avatar(person.displayName, person.avatarUrl), label,
          element('span', 'user-id', person.userId));
        button.onclick = () => pick(person);
        button.onkeydown = (event) => {
          if (event.key === 'ArrowDown') { event.preventDefault(); item.nextElementSibling?.querySelector('button')?.focus(); }
          if (event.key === 'ArrowUp') {
            event.preventDefault();
            (item.previousElementSibling?.querySelector('button') ?? input).focus();
          }
          if (event.key === 'Escape') { event.preventDefault(); clear(); input.focus(); }
        };
        item.append(button);
        results.append(item);
      }
      if (!found.length && query) results.append(element('li', 'none', `Nobody found for “${query}”.`));
    };
    const clear = () => {
      found = [];
      results.replaceChildren();
    };
    const pick = (person) => {
      clear();
      input.value = '';
      onPick(person);
    };
    const run = async () => {
      const query = input.value;
      const ticket = ++latest;
      try {
        const people = await searchPeople(query);
        if (ticket === latest) {
          render(people, query.trim());
          showError('');
        }
        return people;
      } catch (e) {
        if (e instanceof SessionEnded) throw e;
        if (ticket === latest) showError(e.code ? e.message : describeError(e));
        return [];
      }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      if (!input.value.trim()) { clear(); return; }
      timer = setTimeout(() => { if (alive()) run().catch(() => {}); }, SEARCH_DELAY_MS);
    }, { signal: abort.signal });
    input.addEventListener('keydown', async (event) => {
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        results.querySelector('button')?.focus();
      } else if (event.key === 'Escape' && input.value) {
        event.preventDefault();
        event.stopPropagation();
        input.value = '';
        clear();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        clearTimeout(timer);
        const typed = input.value.trim();
        if (!typed) return;
        const people = (await run()).filter((p) => !exclude().includes(p.userId));
        const exact = people.find((p) => p.userId === typed)
          ?? people.find((p) => p.displayName.toLocaleLowerCase() === typed.toLocaleLowerCase());
        const choice = exact ?? (people.length === 1 ? people[0] : null);
        if (choice) pick(choice);
        else if (!people.length) showError(`Nobody called “${typed}” is on HireChat.`);
      }
    }, { signal: abort.signal });
    return { clear };
  }

  // ---------------------------------------------------------------- dialogs

  function confirmDialog(title, text, confirmLabel) {
    const dialog = $('confirm-dialog');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = confirmLabel;
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-cancel').focus();   // the safe choice has the focus
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true, signal: abort.signal });
    });
  }

  function wireGroupDialog() {
    const dialog = $('group-dialog');
    let picked = [];
    const showError = (text) => { $('group-error').textContent = text; };
    const renderPicked = () => {
      const list = $('group-picked');
      list.replaceChildren();
      for (const person of picked) {
        const item = element('li', 'chip');
        item.append(element('span', null, person.displayName));
        const remove = element('button', 'link', '×');
        remove.type = 'button';
        remove.setAttribute('aria-label', `Remove ${person.displayName}`);
        remove.onclick = () => {
          picked = picked.filter((p) => p.userId !== person.userId);
          renderPicked();
          $('group-search').focus();
        };
        item.append(remove);
        list.append(item);
      }
      if (!picked.length) list.append(element('li', 'none', 'Nobody yet: search above.'));
    };
    peoplePicker($('group-search'), $('group-results'), (person) => {
      picked.push(person);
      renderPicked();
      $('group-search').focus();
    }, { exclude: () => picked.map((p) => p.userId), showError });
    $('new-group').onclick = () => {
      picked = [];
      $('group-title').value = '';
      $('group-search').value = '';
      $('group-results').replaceChildren();
      showError('');
      renderPicked();
      dialog.showModal();
      $('group-title').focus();
    };
    $('group-cancel').onclick = () => dialog.close();
    $('group-form').onsubmit = async (event) => {
      event.preventDefault();
      const title = $('group-title').value.trim();
      if (!title) { showError(describeError('invalid_title')); return; }
      if (!picked.length) { showError(describeError('invalid_participants')); return; }
      try {
        await createGroup(title, picked.map((p) => p.userId));
        dialog.close();
      } catch (e) {
        if (e instanceof SessionEnded) return;
        showError(e.code ? e.message : describeError(e));
      }
    };
  }

  function wireMembersDialog() {
    const dialog = $('members-dialog');
    const showError = (text) => { $('members-error').textContent = text; };
    const members = () => state.header?.participants ?? [];
    const renderMembers = () => {
      const list = $('members-list');
      list.replaceChildren();
      for (const member of members()) {
        const item = element('li', 'member');
        const name = element('span', 'name', member.userId === state.user ? `${member.displayName} (you)` : member.displayName);
        name.dir = 'auto';
        item.append(avatar(member.displayName, member.avatarUrl), name);
        if (member.userId !== state.user) {
          const remove = element('button', 'secondary', 'Remove');
          remove.type = 'button';
          remove.setAttribute('aria-label', `Remove ${member.displayName} from the group`);
          remove.onclick = async () => {
            try {
              await api(`/api/conversations/${state.open}/participants/${encodeURIComponent(member.userId)}`,
                { method: 'DELETE' });
              await refreshHeader(state.open);
              renderMembers();
              $('members-search').focus();
            } catch (e) {
              if (!(e instanceof SessionEnded)) showError(e.code ? e.message : describeError(e));
            }
          };
          item.append(remove);
        }
        list.append(item);
      }
    };
    peoplePicker($('members-search'), $('members-results'), async (person) => {
      try {
        await api(`/api/conversations/${state.open}/participants`,
          { method: 'POST', body: JSON.stringify({ userId: person.userId }) });
        showError('');
        await refreshHeader(state.open);
        renderMembers();
        $('members-search').focus();
      } catch (e) {
        if (!(e instanceof SessionEnded)) showError(e.code ? e.message : describeError(e));
      }
    }, { exclude: () => members().map((m) => m.userId), showError });
    $('members').onclick = () => {
      showError('');
      renderMembers();
      dialog.showModal();
      $('members-search').focus();
    };
    $('members-close').onclick = () => dialog.close();
    $('leave-group').onclick = async () => {
      dialog.close();
      const ok = await confirmDialog('Leave this group?',
        'You will no longer get its messages and cannot write in it. You keep what was said before you left.',
        'Leave group');
      if (!ok) return;
      try {
        await api(`/api/conversations/${state.open}/participants/${encodeURIComponent(state.user)}`, { method: 'DELETE' });
        markLeft(state.open, state.user);
      } catch (e) {
        reportError('action')(e);
      }
    };
  }

  // ---------------------------------------------------------------- controls

  // The controls of the session's own markup: they go away with it.
  function wireControls() {
    $('sign-out').onclick = () => onEnd('');
    $('back').onclick = () => {
      showConversationPane(false);
      root.querySelector(`#contacts [data-conversation-id="${state.open}"] button`)?.focus();
    };
    $('notify').onclick = async () => {
      if (!('Notification' in window)) return;
      await Notification.requestPermission();
      showNotifyButton();
    };
    showNotifyButton();

    peoplePicker($('start-user'), $('start-results'), (person) => {
      startChatWith(person.userId, null, person.displayName).catch(reportError('start'));
    }, { showError: (text) => (text ? setError('start', text) : clearError('start')) });

    $('start-form').onsubmit = (event) => event.preventDefault();

    $('composer').onsubmit = (event) => {
      event.preventDefault();
      if (tray.busy(state.open)) {
        setError('upload', 'Wait until your files have uploaded, or cancel them.');
        return;
      }
      clearError('upload');
      if (sendText($('text').value, tray.ready(state.open))) {
        $('text').value = '';
        tray.sent(state.open);
        updateCounter();
      }
    };

    $('text').onkeydown = (event) => {
      // Enter while an input method is composing (Japanese, Chinese, …) confirms the composition: it never sends
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        $('composer').requestSubmit();
      }
    };

    $('text').oninput = () => {
      updateCounter();
      if (state.open && Date.now() - state.lastTypingSent > TYPING_SENT_EVERY_MS) {
        state.lastTypingSent = Date.now();
        send({ type: 'typing', conversationId: state.open });
      }
    };

    $('jump').onclick = () => {
      const list = $('messages');
      list.scrollTop = list.scrollHeight;
      state.divider.delete(state.open);
      renderMessages({ toBottom: true });
      markReadIfVisible();
      $('text').focus();
    };

    on($('messages'), 'scroll', () => {
      if ($('messages').scrollTop <= LOAD_OLDER_WITHIN_PX) loadOlder();
      updateJump();
      if (atBottom()) markReadIfVisible();
    });
    on(document, 'visibilitychange', markReadIfVisible);
    wireGroupDialog();
    wireMembersDialog();
    wireSettings($, api);
    tray = new AttachmentTray({ tray: $('upload-tray'), input: $('attach-input'), button: $('attach'),
      dropZone: $('conversation'), textarea: $('text'), token: () => state.token, conversation: () => state.open });
  }

  function showMe() {
    const profileName = state.profiles.get(state.user)?.displayName ?? state.devName?.displayName;
    $('me-name').textContent = profileName || state.user;
    $('me').textContent = state.user;
    $('me').dataset.user = state.user;
    $('me-avatar').replaceWith(Object.assign(avatar(profileName || state.user, state.profiles.get(state.user)?.avatarUrl),
      { id: 'me-avatar' }));
  }

  /** Signs in with a name (development login) or a host-site token, then shows the chat. */
  async function start(credentials) {
    if (credentials.token) await adoptToken(credentials.token);
    else await login(credentials);
    outbox = new Outbox(await outboxKey(state.user), {
      transmit: (item) => send({ type: 'send', conversationId: item.conversationId,
        clientMessageId: item.clientMessageId, text: item.text,
        ...(item.attachments?.length ? { attachments: item.attachments } : {}) }),
      later,
      onChange: () => { if (alive()) renderMessages(); },
    });
    byId('chat').replaceWith(root);
    root.hidden = false;
    byId('login').hidden = true;
    byId('login-user').value = '';   // the name typed to sign in stays with the session, not on the sign-in form
    byId('login-name').value = '';
    byId('login-error').textContent = '';
    showMe();
    wireControls();
    await refreshContacts();
    connect();
    every(() => send({ type: 'ping' }), PING_EVERY_MS);
    every(() => {   // "Today" becomes "Yesterday" at midnight
      renderContacts();
      renderMessages();
    }, 60_000);
    const params = new URLSearchParams(location.search);
    // /?with=… (the job board), /?id=… and /chat?id=… (the tutorial's link): the same chat with that person
    const target = params.get('with') ?? params.get('id');
    const job = params.get('job') ? { id: params.get('job'), title: params.get('jobTitle') ?? params.get('job') } : null;
    const name = params.get('name');
    if (target) forgetLinkParams(params);
    try {
      if (target && target !== state.user) await startChatWith(target, job, name);
      else await reopenRemembered();
    } catch (e) {
      if (e instanceof SessionEnded) throw e;
      reportError('start')(e);   // still signed in: only the link or the remembered conversation failed
    }
  }

  return { start, dispose };
}

// A "Contact recruiter" link is acted on once: reloading the page returns to the conversation without starting it again.
function forgetLinkParams(params) {
  for (const key of ['with', 'id', 'job', 'jobTitle', 'name', 'role']) params.delete(key);
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? `?${query}` : '') + location.hash);
}

/**
 * Ends the session of this tab, if any: disposes it (its timers, socket, listeners, requests and markup), forgets who
 * was signed in and shows the sign-in with `reason`. `forget: false` keeps the stored sign-in, for a
 * start that failed only because the server could not be reached (a reload tries it again).
 */
function endSession(reason, { forget = true } = {}) {
  const session = current;
  current = null;
  session?.dispose();
  if (forget) {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(STORAGE_PREFIX)) sessionStorage.removeItem(key);
  }
  byId('chat').hidden = true;
  byId('login').hidden = false;
  byId('login-error').textContent = reason;
  document.title = APP_TITLE;
}

/** Signs someone in, ending whatever session this tab had first: a tab holds one person at a time. */
async function enter(credentials) {
  if (current) endSession('');
  const session = createSession((reason) => {
    if (current === session) endSession(reason);
  });
  current = session;
  try {
    await session.start(credentials);
  } catch (e) {
    if (current !== session) return;   // ended or replaced meanwhile, which already showed the sign-in
    endSession(e.message, { forget: e.refused === true });
  }
}

byId('login-form').onsubmit = (event) => {
  event.preventDefault();
  enter({ user: byId('login-user').value.trim(), displayName: byId('login-name').value.trim(),
    profileRole: byId('login-role').value });
};

function tokenInFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!fragment.has('token')) return null;
  history.replaceState(null, '', location.pathname + location.search);   // not left in the address bar
  return fragment.get('token');
}

// The host site may link an open tab to #token=… of someone else: that is a new sign-in, not a reload.
window.addEventListener('hashchange', () => {
  const token = tokenInFragment();
  if (token) enter({ token });
});

function initialSignIn() {
  const token = tokenInFragment() ?? sessionStorage.getItem(`${STORAGE_PREFIX}token`);
  if (token) return { token };
  const stored = sessionStorage.getItem(`${STORAGE_PREFIX}user`);
  if (stored) {
    try {
      const parsed = JSON.parse(stored);
      if (parsed?.user) return parsed;
    } catch {
      // an older page's plain user name
    }
    return { user: stored };
  }
  const params = new URLSearchParams(location.search);
  const as = params.get('as');
  if (!as) return null;
  // acted on once, like a link: after a sign-out a reload shows the sign-in instead of signing them in again
  params.delete('as');
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? `?${query}` : '') + location.hash);
  return { user: as };
}

const credentials = initialSignIn();
if (credentials) enter(credentials);
