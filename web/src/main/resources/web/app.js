// HireChat browser client: plain ES module, no build step. Every text is rendered with textContent (never as HTML).
// How it behaves (sessions, optimistic sends, reconnect and resume, history paging): docs/browser-client.md.
//
// Everything that belongs to the person signed in lives in one session (createSession): their state, their copy of
// the chat's markup, every timer, the socket, every listener and request in flight. Ending it (sign-out, a token the
// server refuses, someone else signing in in this tab) disposes all of that at once and puts a fresh, empty copy of
// the markup back; the next sign-in starts a new session from nothing. No per-user state lives outside a session.

const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;
const PAGE_SIZE = 50;                 // history messages per request
const LOAD_OLDER_WITHIN_PX = 40;      // scrolled this close to the top of #messages loads the previous page
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 5000;        // a chat that stays away longer than this feels broken
const PING_EVERY_MS = 30000;          // the server closes sockets that stay silent
const CONTACTS_EVERY_MS = 5000;       // conversations others start with us (there is no per-user push channel yet)
const HEADER_RETRY_MS = 300;
const HEADER_RETRIES = 30;
const STORAGE_PREFIX = 'hirechat.';   // every sessionStorage key of this page starts with it
const SESSION_ENDED = 'Your session has ended; sign in again.';

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
  let socket = null;
  let renewing = null;   // a development sign-in being renewed, shared by every request that got a 401 meanwhile

  const state = {
    user: null,
    token: null,
    devName: false,             // signed in by name (development login), so an expired token can be renewed
    connected: false,
    reconnectDelay: RECONNECT_FIRST_MS,
    contacts: [],
    open: null,                 // conversationId shown on the right
    header: null,               // GET /api/conversations/{id} of the open conversation
    lastSeq: new Map(),         // conversationId -> highest event seq applied, for resuming after a reconnect
    messages: new Map(),        // conversationId -> Map(seq -> message)
    readMarks: new Map(),       // conversationId -> Map(userId -> upToSeq)
    pending: new Map(),         // clientMessageId -> {conversationId, text, state}: the outbox
    typing: new Map(),          // conversationId -> Map(userId -> time last seen typing)
    jobs: new Map(),            // conversationId -> Map(jobId -> title), from the header and from job_linked frames
    olderFrom: new Map(),       // conversationId -> `before` of the next older history page; null once all is loaded
    loadingOlder: false,
    lastTypingSent: 0,
  };

  const alive = () => !abort.signal.aborted;

  // The only ways a session waits or listens: all of it is undone by dispose().
  function later(fn, ms) {
    if (!alive()) return;
    const id = setTimeout(() => {
      timeouts.delete(id);
      if (alive()) fn();
    }, ms);
    timeouts.add(id);
  }

  function every(fn, ms) {
    if (!alive()) return;
    intervals.add(setInterval(() => {
      if (alive()) fn();
    }, ms));
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
    state.pending.clear();      // the outbox is this person's: never sent by whoever signs in next
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
      throw e;
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
    if (!response.ok) {
      const error = new Error(body.error ? `${body.error.code}: ${body.error.message}` : response.statusText);
      error.code = body.error?.code;
      throw error;
    }
    return body;
  }

  // Development sign-in (the local run only): any name gets a token, signed with a secret that dies with the server
  // process. A name sign-in is renewed under the same name; a host-site token cannot be, and its session ends.
  async function login(user) {
    const { response, body } = await request('/api/dev/login', { method: 'POST', body: JSON.stringify({ userId: user }) });
    if (!response.ok) {
      const reason = body.error ? `${body.error.code}: ${body.error.message}` : response.statusText;
      if (response.status >= 500) throw new Error(reason);          // the server's trouble: tried again later
      if (state.user) end(SESSION_ENDED);   // renewing, and the server no longer signs this name in
      throw refused(reason);
    }
    if (state.user && body.userId !== state.user) end(SESSION_ENDED);   // a session is one person
    state.user = body.userId;
    state.token = body.token;
    state.devName = true;
    sessionStorage.setItem(`${STORAGE_PREFIX}user`, state.user);   // per tab, so two windows can be two people
  }

  function renewDevToken() {
    renewing ??= login(state.user).finally(() => { renewing = null; });
    return renewing;
  }

  // The host site's sign-in: it links here with its token in the fragment (#token=…), which browsers never send
  // to any server, and the page keeps it for this tab only.
  async function adoptToken(token) {
    const { response, body } = await request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) throw refused('the sign-in link has expired or is not valid');
    if (!response.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : response.statusText);
    state.user = body.userId;
    state.token = token;
    state.devName = false;
    sessionStorage.setItem(`${STORAGE_PREFIX}token`, token);
    sessionStorage.removeItem(`${STORAGE_PREFIX}user`);
  }

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
      showConnection();
      for (const contact of state.contacts) if (!contact.left) subscribe(contact.conversationId);
      // what was typed while offline goes out now; a refused one waits for the user's Retry
      for (const [clientMessageId, p] of state.pending) if (p.state === 'pending') transmit(clientMessageId, p);
    };
    ws.onmessage = (event) => onFrame(JSON.parse(event.data));
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      state.connected = false;
      showConnection();
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
    if (state.connected && socket) socket.send(JSON.stringify(frame));
  }

  // Always resume from a known seq: the server then replays everything after it from the event store, so a
  // reconnect or a lagging read model can never leave a gap. Frames already applied are dropped by seq.
  function subscribe(conversationId) {
    const contact = state.contacts.find((c) => c.conversationId === conversationId);
    const afterSeq = state.lastSeq.get(conversationId) ?? contact?.lastSeq ?? 0;
    send({ type: 'subscribe', conversationId, afterSeq });
  }

  function onFrame(frame) {
    if (frame.type === 'ack') return onAck(frame);
    if (frame.type === 'error') return onError(frame);
    if (frame.type === 'typing') return onTyping(frame);
    if (frame.seq === undefined) return undefined;
    const applied = state.lastSeq.get(frame.conversationId) ?? 0;
    const messages = messagesOf(frame.conversationId);
    if (frame.seq <= applied && (frame.type !== 'message' || messages.has(frame.seq))) return undefined;
    state.lastSeq.set(frame.conversationId, Math.max(applied, frame.seq));
    switch (frame.type) {
      case 'message': onMessage(frame); break;
      case 'edited': onEdited(frame); break;
      case 'redacted': onRedacted(frame); break;
      case 'read': readMarksOf(frame.conversationId).set(frame.userId, frame.upToSeq); break;
      case 'participant_removed':
        if (frame.userId === state.user) markLeft(frame.conversationId);
        refreshHeader(frame.conversationId);
        break;
      case 'job_linked': jobsOf(frame.conversationId).set(frame.jobId, frame.title); renderHeader(); break;
      case 'participant_added': refreshHeader(frame.conversationId); break;
      default: break;
    }
    if (frame.conversationId === state.open) {
      renderMessages();
      markReadIfVisible();
    }
    return undefined;
  }

  function messagesOf(conversationId) {
    if (!state.messages.has(conversationId)) state.messages.set(conversationId, new Map());
    return state.messages.get(conversationId);
  }

  function jobsOf(conversationId) {
    if (!state.jobs.has(conversationId)) state.jobs.set(conversationId, new Map());
    return state.jobs.get(conversationId);
  }

  function readMarksOf(conversationId) {
    if (!state.readMarks.has(conversationId)) state.readMarks.set(conversationId, new Map());
    return state.readMarks.get(conversationId);
  }

  function onMessage(message) {
    messagesOf(message.conversationId).set(message.seq, message);
    if (message.senderId === state.user) state.pending.delete(message.clientMessageId);
    typersOf(message.conversationId).delete(message.senderId);
    const contact = state.contacts.find((c) => c.conversationId === message.conversationId);
    if (!contact) {
      refreshContacts().catch(() => {});   // the next poll tries again
      return;
    }
    if (message.seq > contact.lastSeq) {       // not already counted in the sidebar we loaded
      contact.lastSeq = message.seq;
      contact.lastMessagePreview = message.erased ? null : message.text;
      contact.lastMessageRemoved = false;
      contact.lastMessageErased = Boolean(message.erased);
      contact.lastActivity = message.sentAt;
      if (message.conversationId !== state.open && message.senderId !== state.user) contact.unreadCount += 1;
    }
    renderContacts();
  }

  function onEdited(edit) {
    const message = messagesOf(edit.conversationId).get(edit.messageSeq);
    if (message) Object.assign(message, { text: edit.text, editedAt: edit.editedAt, erased: Boolean(edit.erased) });
  }

  function onRedacted(redaction) {
    const message = messagesOf(redaction.conversationId).get(redaction.messageSeq);
    if (message) Object.assign(message, { text: '', redacted: true });
  }

  function markLeft(conversationId) {
    const contact = state.contacts.find((c) => c.conversationId === conversationId);
    if (contact) contact.left = true;
    if (conversationId === state.open) setComposer(false);
    renderContacts();
  }

  function onAck(ack) {
    const p = state.pending.get(ack.clientMessageId);
    if (p) p.state = 'sent';
    renderMessages();
  }

  function onError(error) {
    const p = error.clientMessageId && state.pending.get(error.clientMessageId);
    if (p) p.state = 'failed';
    $('chat-error').textContent = `${error.code}: ${error.message}`;
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

  async function refreshContacts() {
    const { contacts } = await api('/api/contacts');
    const known = new Map(state.contacts.map((c) => [c.conversationId, c]));
    state.contacts = contacts.map((fresh) => mergeContact(known.get(fresh.conversationId), fresh));
    for (const [conversationId, local] of known) {
      // started this instant and not in the read model yet: keep it until it is
      if (local.provisional && !contacts.some((c) => c.conversationId === conversationId)) state.contacts.push(local);
    }
    for (const contact of contacts) if (!known.has(contact.conversationId) && !contact.left) subscribe(contact.conversationId);
    renderContacts();
  }

  // The sidebar is a read model and may lag behind the frames this tab has already applied: keep whichever is newer,
  // or a message that arrived live would vanish from the preview (and its unread badge flicker) until the next poll.
  function mergeContact(local, fresh) {
    const merged = { ...fresh };
    if (local && (local.lastSeq ?? 0) > (fresh.lastSeq ?? 0)) {
      for (const key of ['lastSeq', 'lastMessagePreview', 'lastMessageRemoved', 'lastActivity', 'unreadCount']) {
        merged[key] = local[key];
      }
    }
    if (fresh.conversationId === state.open) merged.unreadCount = 0;   // on screen, so read
    return merged;
  }

  async function refreshHeader(conversationId, attempt = 0) {
    if (conversationId !== state.open) return;
    try {
      state.header = await api(`/api/conversations/${conversationId}`);
      for (const job of state.header.jobs) jobsOf(conversationId).set(job.jobId, job.title);
    } catch (e) {
      if (e instanceof SessionEnded) return;
      state.header = null;       // not in the read models yet, or we left
      // a conversation started an instant ago: its header (names, jobs) follows in a moment
      if (e.code === 'not_ready' && attempt < HEADER_RETRIES) {
        later(() => refreshHeader(conversationId, attempt + 1), HEADER_RETRY_MS);
      }
    }
    if (conversationId !== state.open) return;
    renderHeader();
    renderMessages();
  }

  async function openConversation(conversationId, fallbackTitle = 'Conversation') {
    state.open = conversationId;
    // a reload comes back to this conversation, if the same person is still signed in
    sessionStorage.setItem(`${STORAGE_PREFIX}open`, JSON.stringify({ user: state.user, conversationId }));
    state.header = null;
    $('chat-error').textContent = '';
    const { messages, nextBefore } = await api(`/api/conversations/${conversationId}/messages?limit=${PAGE_SIZE}`);
    if (state.open !== conversationId) return;                  // the user moved on while it loaded
    const seen = messagesOf(conversationId);
    for (const m of messages) seen.set(m.seq, m);
    // opened before: older pages may already be here, so keep the oldest known page boundary
    if (!state.olderFrom.has(conversationId)) state.olderFrom.set(conversationId, nextBefore);
    const contact = state.contacts.find((c) => c.conversationId === conversationId);
    if (contact) {
      contact.unreadCount = 0;
      readMarksOf(conversationId).set(state.user, contact.readUpTo ?? 0);
    }
    setComposer(!contact?.left);
    $('conversation-title').textContent = contact ? contact.displayName : fallbackTitle;
    if (!contact?.left) {
      // history is a read model and may lag: resume the live stream from what it gave us
      state.lastSeq.set(conversationId, messages.length ? messages[0].seq : 0);
      subscribe(conversationId);
    }
    renderContacts();
    renderMessages({ toBottom: true });
    await refreshHeader(conversationId);
    markReadIfVisible();
    fillWithHistory();
    $('text').focus();
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
      if (conversationId === state.open) {
        const list = $('messages');
        renderMessages({ keepFromBottom: list.scrollHeight - list.scrollTop });
      }
    } catch (e) {
      $('chat-error').textContent = e.message;
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

  // Shown and usable only with a conversation open that this person is still in; the markup starts disabled.
  function setComposer(enabled) {
    $('composer').hidden = !enabled;
    for (const control of $('composer').elements) control.disabled = !enabled;
  }

  function markReadIfVisible() {
    if (!state.open || document.hidden) return;
    // up to the newest message: receipts take seqs too, and reading them would only produce more receipts
    const upToSeq = Math.max(0, ...messagesOf(state.open).keys());
    const marks = readMarksOf(state.open);
    if (upToSeq > (marks.get(state.user) ?? 0)) {
      marks.set(state.user, upToSeq);
      send({ type: 'read', conversationId: state.open, upToSeq });
    }
  }

  function transmit(clientMessageId, p) {
    p.state = 'pending';
    send({ type: 'send', conversationId: p.conversationId, clientMessageId, text: p.text });
  }

  function sendText(text) {
    if (!state.open || !text.trim()) return;
    const clientMessageId = crypto.randomUUID();
    const p = { conversationId: state.open, text, state: 'pending' };
    state.pending.set(clientMessageId, p);
    transmit(clientMessageId, p);       // offline, it waits as pending and goes out when the socket is back
    renderMessages({ toBottom: true });
  }

  function nameOf(userId) {
    const member = state.header?.participants?.find((p) => p.userId === userId);
    return member?.displayName ?? userId;
  }

  function avatar(name, url) {
    const el = document.createElement('span');
    el.className = 'avatar';
    if (url) {
      const img = document.createElement('img');
      img.src = url;
      img.alt = '';
      img.referrerPolicy = 'no-referrer';
      el.append(img);
    } else {
      el.textContent = (name ?? '?').slice(0, 1).toUpperCase();
    }
    return el;
  }

  function renderContacts() {
    const list = $('contacts');
    list.replaceChildren();
    const sorted = [...state.contacts].sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
    for (const contact of sorted) {
      const item = document.createElement('li');
      item.className = 'contact' + (contact.conversationId === state.open ? ' active' : '') + (contact.left ? ' left' : '');
      item.dataset.conversationId = contact.conversationId;
      const text = document.createElement('div');
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = contact.displayName + (contact.left ? ' (left)' : '');
      const preview = document.createElement('div');
      preview.className = 'preview';
      preview.textContent = contact.lastMessageRemoved ? 'Message removed'
        : contact.lastMessageErased ? 'Message erased' : (contact.lastMessagePreview ?? 'No messages yet');
      text.append(name, preview);
      item.append(avatar(contact.displayName, contact.avatarUrl), text);
      if (contact.unreadCount > 0) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = String(contact.unreadCount);
        item.append(badge);
      }
      item.onclick = () => openConversation(contact.conversationId).catch((e) => {
      if (!(e instanceof SessionEnded)) $('chat-error').textContent = e.message;
    });
      list.append(item);
    }
  }

  function renderHeader() {
    const jobs = $('jobs');
    jobs.replaceChildren();
    for (const [jobId, title] of jobsOf(state.open ?? '')) {
      const chip = document.createElement('span');
      chip.className = 'job';
      chip.textContent = `Job: ${title}`;
      chip.title = `job ${jobId}`;
      jobs.append(chip);
    }
    if (state.header?.kind === 'GROUP') {
      $('conversation-title').textContent = `${state.header.title} · ${state.header.participants.map((p) => p.displayName).join(', ')}`;
    } else if (state.header) {
      // the profile name, also when the sidebar has not caught up with a conversation started this instant
      const other = state.header.participants.find((p) => p.userId !== state.user);
      if (other) $('conversation-title').textContent = other.displayName;
      const contact = state.contacts.find((c) => c.conversationId === state.open);
      if (other && contact?.provisional && contact.displayName !== other.displayName) {
        contact.displayName = other.displayName;     // the link's company name was only a placeholder
        renderContacts();
      }
    }
  }

  function renderTyping() {
    const now = Date.now();
    const typers = [...typersOf(state.open ?? '').entries()]
      .filter(([, at]) => now - at < TYPING_SHOWN_MS).map(([user]) => nameOf(user));
    $('typing').textContent = typers.length ? `${typers.join(', ')} ${typers.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  // Follows the conversation while the reader is at the bottom; leaves them where they are while they read older messages.
  function renderMessages({ toBottom = false, keepFromBottom } = {}) {
    const list = $('messages');
    const wasAtBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const previousTop = list.scrollTop;
    list.replaceChildren();
    if (!state.open) return;
    const stored = [...messagesOf(state.open).values()].sort((a, b) => a.seq - b.seq);
    const storedIds = new Set(stored.map((m) => m.clientMessageId));
    const othersRead = Math.max(0, ...[...readMarksOf(state.open).entries()]
      .filter(([user]) => user !== state.user).map(([, upTo]) => upTo));
    const myLast = stored.filter((m) => m.senderId === state.user).at(-1);
    for (const m of stored) {
      const mine = m.senderId === state.user;
      const marks = [nameOf(m.senderId), new Date(m.sentAt).toLocaleTimeString()];
      if (m.editedAt && !m.redacted) marks.push('edited');
      if (mine && m === myLast && othersRead >= m.seq) marks.push('seen');
      // an erased author's text can no longer be read (docs/compliance.md#erasure)
      const item = bubble(m.redacted ? 'Message removed' : m.erased ? 'Message erased' : m.text, mine,
        marks.join(' · '));
      if (m.redacted || m.erased) item.classList.add('removed');
      if (mine && !m.redacted && !m.erased) item.append(actions(m));
      list.append(item);
    }
    for (const [clientMessageId, p] of state.pending) {
      if (p.conversationId !== state.open || storedIds.has(clientMessageId)) continue;
      const item = bubble(p.text, true, p.state === 'failed' ? 'not sent' : p.state);
      item.classList.add(p.state === 'failed' ? 'failed' : 'pending');
      item.dataset.clientMessageId = clientMessageId;
      if (p.state === 'failed') item.append(retryButton(clientMessageId, p));
      list.append(item);
    }
    renderTyping();
    if (keepFromBottom !== undefined) list.scrollTop = list.scrollHeight - keepFromBottom;   // older page added above
    else if (toBottom || wasAtBottom) list.scrollTop = list.scrollHeight;
    else list.scrollTop = previousTop;
  }

  // The same clientMessageId again: if the first attempt was stored after all, the server answers with its ack.
  function retryButton(clientMessageId, p) {
    const retry = document.createElement('button');
    retry.className = 'retry';
    retry.type = 'button';
    retry.textContent = 'Retry';
    retry.onclick = () => {
      transmit(clientMessageId, p);
      renderMessages();
    };
    return retry;
  }

  function actions(message) {
    const bar = document.createElement('div');
    bar.className = 'actions';
    const edit = document.createElement('button');
    edit.textContent = 'Edit';
    edit.onclick = () => {
      const text = prompt('Edit message', message.text);
      if (text !== null && text.trim()) send({ type: 'edit', conversationId: state.open, messageId: message.messageId, text });
    };
    const remove = document.createElement('button');
    remove.textContent = 'Remove';
    remove.onclick = () => send({ type: 'redact', conversationId: state.open, messageId: message.messageId });
    bar.append(edit, remove);
    return bar;
  }

  function bubble(text, mine, meta) {
    const item = document.createElement('li');
    item.className = 'message' + (mine ? ' mine' : '');
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    const info = document.createElement('div');
    info.className = 'meta';
    info.textContent = meta;
    item.append(body, info);
    return item;
  }

  function showConnection() {
    const el = $('connection');
    el.className = 'connection ' + (state.connected ? 'online' : 'offline');
    el.title = state.connected ? 'connected' : 'reconnecting…';
    $('reconnecting').hidden = state.connected;
  }

  async function startChatWith(user, job, name = null) {
    const body = job ? { with: user, job } : { with: user };
    const { conversationId, counterpartId } = await api('/api/conversations', { method: 'POST', body: JSON.stringify(body) });
    await refreshContacts();
    if (!state.contacts.some((c) => c.conversationId === conversationId)) {
      // the sidebar is a read model and may not have caught up with a conversation started this instant
      state.contacts.push({ conversationId, counterpartId, displayName: name ?? counterpartId, lastSeq: 0, unreadCount: 0,
        lastActivity: new Date().toISOString(), lastMessagePreview: null, readUpTo: 0, provisional: true });
    }
    await openConversation(conversationId, name ?? counterpartId);
  }

  async function reopenRemembered() {
    const remembered = JSON.parse(sessionStorage.getItem(`${STORAGE_PREFIX}open`) ?? 'null');
    if (remembered?.user !== state.user) return;   // another person's conversation is not reopened
    const { conversationId } = remembered;
    if (state.contacts.some((c) => c.conversationId === conversationId)) await openConversation(conversationId);
  }

  // The controls of the session's own markup: they go away with it.
  function wireControls() {
    $('sign-out').onclick = () => onEnd('');

    $('start-form').onsubmit = async (event) => {
      event.preventDefault();
      try {
        await startChatWith($('start-user').value.trim(), null);
        $('start-user').value = '';
      } catch (e) {
        $('chat-error').textContent = e.message;
      }
    };

    $('composer').onsubmit = (event) => {
      event.preventDefault();
      sendText($('text').value);
      $('text').value = '';
    };

    $('text').onkeydown = (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        $('composer').requestSubmit();
      }
    };

    $('text').oninput = () => {
      if (state.open && Date.now() - state.lastTypingSent > TYPING_SENT_EVERY_MS) {
        state.lastTypingSent = Date.now();
        send({ type: 'typing', conversationId: state.open });
      }
    };

    on($('messages'), 'scroll', () => {
      if ($('messages').scrollTop <= LOAD_OLDER_WITHIN_PX) loadOlder();
    });
    on(document, 'visibilitychange', markReadIfVisible);
  }

  /** Signs in with a name (development login) or a host-site token, then shows the chat. */
  async function start({ user, token }) {
    if (token) await adoptToken(token);
    else await login(user);
    byId('chat').replaceWith(root);
    root.hidden = false;
    byId('login').hidden = true;
    byId('login-user').value = '';   // the name typed to sign in stays with the session, not on the sign-in form
    byId('login-error').textContent = '';
    $('me').textContent = state.user;
    wireControls();
    await refreshContacts();
    connect();
    every(() => send({ type: 'ping' }), PING_EVERY_MS);
    every(() => refreshContacts().catch(() => {}), CONTACTS_EVERY_MS);
    const params = new URLSearchParams(location.search);
    const target = params.get('with');
    const job = params.get('job') ? { id: params.get('job'), title: params.get('jobTitle') ?? params.get('job') } : null;
    const name = params.get('name');
    if (target) forgetLinkParams(params);
    try {
      if (target && target !== state.user) await startChatWith(target, job, name);
      else await reopenRemembered();
    } catch (e) {
      if (e instanceof SessionEnded) throw e;
      $('chat-error').textContent = e.message;   // still signed in: only the link or the remembered conversation failed
    }
  }

  return { start, dispose };
}

// A "Contact recruiter" link is acted on once: reloading the page returns to the conversation without starting it again.
function forgetLinkParams(params) {
  for (const key of ['with', 'job', 'jobTitle', 'name']) params.delete(key);
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
  enter({ user: byId('login-user').value.trim() });
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
  if (stored) return { user: stored };
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
