// HireChat browser client: plain ES module, no build step. Every text is rendered with textContent (never as HTML).

const $ = (id) => document.getElementById(id);
const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;

const state = {
  user: null,
  token: null,
  socket: null,
  connected: false,
  reconnectDelay: 500,
  contacts: [],
  open: null,                 // conversationId shown on the right
  header: null,               // GET /api/conversations/{id} of the open conversation
  lastSeq: new Map(),         // conversationId -> highest event seq applied, for resuming after a reconnect
  messages: new Map(),        // conversationId -> Map(seq -> message)
  readMarks: new Map(),       // conversationId -> Map(userId -> upToSeq)
  pending: new Map(),         // clientMessageId -> {conversationId, text, state}
  typing: new Map(),          // conversationId -> Map(userId -> time last seen typing)
  jobs: new Map(),            // conversationId -> Map(jobId -> title), from the header and from job_linked frames
  lastTypingSent: 0,
};

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { 'Content-Type': 'application/json', ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}) },
  });
  const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.status === 401 && state.user && !options.retried) {
    await login(state.user);            // development tokens die with the server; sign in again once
    return api(path, { ...options, retried: true });
  }
  if (!response.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : response.statusText);
  return body;
}

async function login(user) {
  const response = await fetch('/api/dev/login', { method: 'POST', body: JSON.stringify({ userId: user }) });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.error.code}: ${body.error.message}`);
  state.user = body.userId;
  state.token = body.token;
  sessionStorage.setItem('hirechat.user', state.user);   // per tab, so two windows can be two people
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws?access_token=${encodeURIComponent(state.token)}`);
  state.socket = socket;
  socket.onopen = () => {
    state.connected = true;
    state.reconnectDelay = 500;
    showConnection();
    for (const contact of state.contacts) if (!contact.left) subscribe(contact.conversationId);
    for (const [clientMessageId, p] of state.pending) if (p.state !== 'sent') transmit(clientMessageId, p);
  };
  socket.onmessage = (event) => onFrame(JSON.parse(event.data));
  socket.onclose = () => {
    state.connected = false;
    showConnection();
    setTimeout(async () => {
      await api('/api/me').catch(() => {});   // refreshes an expired token before reconnecting
      connect();
    }, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10000);
  };
}

function send(frame) {
  if (state.connected) state.socket.send(JSON.stringify(frame));
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
    refreshContacts();
    return;
  }
  if (message.seq > contact.lastSeq) {       // not already counted in the sidebar we loaded
    contact.lastSeq = message.seq;
    contact.lastMessagePreview = message.text;
    contact.lastMessageRemoved = false;
    contact.lastActivity = message.sentAt;
    if (message.conversationId !== state.open && message.senderId !== state.user) contact.unreadCount += 1;
  }
  renderContacts();
}

function onEdited(edit) {
  const message = messagesOf(edit.conversationId).get(edit.messageSeq);
  if (message) Object.assign(message, { text: edit.text, editedAt: edit.editedAt });
}

function onRedacted(redaction) {
  const message = messagesOf(redaction.conversationId).get(redaction.messageSeq);
  if (message) Object.assign(message, { text: '', redacted: true });
}

function markLeft(conversationId) {
  const contact = state.contacts.find((c) => c.conversationId === conversationId);
  if (contact) contact.left = true;
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
  setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
}

async function refreshContacts() {
  const { contacts } = await api('/api/contacts');
  const known = new Set(state.contacts.map((c) => c.conversationId));
  state.contacts = contacts;
  for (const contact of contacts) if (!known.has(contact.conversationId) && !contact.left) subscribe(contact.conversationId);
  renderContacts();
}

async function refreshHeader(conversationId) {
  if (conversationId !== state.open) return;
  try {
    state.header = await api(`/api/conversations/${conversationId}`);
    for (const job of state.header.jobs) jobsOf(conversationId).set(job.jobId, job.title);
  } catch {
    state.header = null;       // not in the read models yet, or we left
  }
  renderHeader();
  renderMessages();
}

async function openConversation(conversationId, fallbackTitle = 'Conversation') {
  state.open = conversationId;
  state.header = null;
  $('chat-error').textContent = '';
  const { messages } = await api(`/api/conversations/${conversationId}/messages?limit=100`);
  const seen = messagesOf(conversationId);
  for (const m of messages) seen.set(m.seq, m);
  const contact = state.contacts.find((c) => c.conversationId === conversationId);
  if (contact) {
    contact.unreadCount = 0;
    readMarksOf(conversationId).set(state.user, contact.readUpTo ?? 0);
  }
  $('composer').hidden = Boolean(contact?.left);
  $('conversation-title').textContent = contact ? contact.displayName : fallbackTitle;
  if (!contact?.left) {
    // history is a read model and may lag: resume the live stream from what it gave us
    state.lastSeq.set(conversationId, messages.length ? messages[0].seq : 0);
    subscribe(conversationId);
  }
  renderContacts();
  renderMessages();
  await refreshHeader(conversationId);
  markReadIfVisible();
  $('text').focus();
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
  transmit(clientMessageId, p);
  renderMessages();
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
    preview.textContent = contact.lastMessageRemoved ? 'Message removed' : (contact.lastMessagePreview ?? 'No messages yet');
    text.append(name, preview);
    item.append(avatar(contact.displayName, contact.avatarUrl), text);
    if (contact.unreadCount > 0) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(contact.unreadCount);
      item.append(badge);
    }
    item.onclick = () => openConversation(contact.conversationId);
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
  }
}

function renderTyping() {
  const now = Date.now();
  const typers = [...typersOf(state.open ?? '').entries()]
    .filter(([, at]) => now - at < TYPING_SHOWN_MS).map(([user]) => nameOf(user));
  $('typing').textContent = typers.length ? `${typers.join(', ')} ${typers.length > 1 ? 'are' : 'is'} typing…` : '';
}

function renderMessages() {
  const list = $('messages');
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
    const item = bubble(m.redacted ? 'Message removed' : m.text, mine, marks.join(' · '));
    if (m.redacted) item.classList.add('removed');
    if (mine && !m.redacted) item.append(actions(m));
    list.append(item);
  }
  for (const [clientMessageId, p] of state.pending) {
    if (p.conversationId !== state.open || storedIds.has(clientMessageId)) continue;
    const item = bubble(p.text, true, p.state === 'failed' ? 'failed · click to retry' : p.state);
    item.classList.add(p.state === 'failed' ? 'failed' : 'pending');
    if (p.state === 'failed') item.onclick = () => { transmit(clientMessageId, p); renderMessages(); };
    list.append(item);
  }
  renderTyping();
  list.scrollTop = list.scrollHeight;
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

async function startChatWith(user, job) {
  const body = job ? { with: user, job } : { with: user };
  const { conversationId, counterpartId } = await api('/api/conversations', { method: 'POST', body: JSON.stringify(body) });
  await refreshContacts();
  if (!state.contacts.some((c) => c.conversationId === conversationId)) {
    // the sidebar is a read model and may not have caught up with a conversation started this instant
    state.contacts.push({ conversationId, counterpartId, displayName: counterpartId, lastSeq: 0, unreadCount: 0,
      lastActivity: new Date().toISOString(), lastMessagePreview: null, readUpTo: 0 });
  }
  await openConversation(conversationId, counterpartId);
}

async function enter(user) {
  await login(user);
  $('login').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = state.user;
  await refreshContacts();
  connect();
  setInterval(() => send({ type: 'ping' }), 30000);        // the server closes sockets that stay silent
  setInterval(() => refreshContacts().catch(() => {}), 5000); // conversations others start with us
  const params = new URLSearchParams(location.search);
  const target = params.get('with');
  const job = params.get('job') ? { id: params.get('job'), title: params.get('jobTitle') ?? params.get('job') } : null;
  if (target && target !== state.user) await startChatWith(target, job);
}

$('login-form').onsubmit = async (event) => {
  event.preventDefault();
  try {
    await enter($('login-user').value.trim());
  } catch (e) {
    $('login-error').textContent = e.message;
  }
};

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

document.addEventListener('visibilitychange', markReadIfVisible);

const remembered = sessionStorage.getItem('hirechat.user') ?? new URLSearchParams(location.search).get('as');
if (remembered) enter(remembered).catch((e) => { $('login-error').textContent = e.message; });
