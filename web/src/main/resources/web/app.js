// HireChat browser client: plain ES module, no build step. Every text is rendered with textContent (never as HTML).

const $ = (id) => document.getElementById(id);
const state = {
  user: null,
  token: null,
  socket: null,
  connected: false,
  reconnectDelay: 500,
  contacts: [],
  open: null,                 // conversationId shown on the right
  lastSeq: new Map(),         // conversationId -> highest seq seen, for resuming after a reconnect
  messages: new Map(),        // conversationId -> Map(seq -> message)
  pending: new Map(),         // clientMessageId -> {conversationId, text, state}
};

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { 'Content-Type': 'application/json', ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 && state.user) {
    await login(state.user);            // development tokens die with the server; sign in again once
    return api(path, options);
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
    for (const contact of state.contacts) subscribe(contact.conversationId);
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
// reconnect or a lagging read model can never leave a gap. Duplicates are dropped by seq in onMessage.
function subscribe(conversationId) {
  const contact = state.contacts.find((c) => c.conversationId === conversationId);
  const afterSeq = state.lastSeq.get(conversationId) ?? contact?.lastSeq ?? 0;
  send({ type: 'subscribe', conversationId, afterSeq });
}

function onFrame(frame) {
  switch (frame.type) {
    case 'message': return onMessage(frame);
    case 'ack': return onAck(frame);
    case 'error': return onError(frame);
    default: return undefined;
  }
}

function onMessage(message) {
  const seen = state.messages.get(message.conversationId) ?? new Map();
  state.messages.set(message.conversationId, seen);
  if (seen.has(message.seq)) return;
  seen.set(message.seq, message);
  state.lastSeq.set(message.conversationId, Math.max(state.lastSeq.get(message.conversationId) ?? 0, message.seq));
  if (message.senderId === state.user) state.pending.delete(message.clientMessageId);
  const contact = state.contacts.find((c) => c.conversationId === message.conversationId);
  if (contact) {
    if (message.seq > contact.lastSeq) {       // not already counted in the sidebar we loaded
      contact.lastSeq = message.seq;
      contact.lastMessagePreview = message.text;
      contact.lastActivity = message.sentAt;
      if (message.conversationId !== state.open && message.senderId !== state.user) contact.unreadCount += 1;
    }
  } else {
    refreshContacts();
  }
  renderContacts();
  if (message.conversationId === state.open) renderMessages();
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

async function refreshContacts() {
  const { contacts } = await api('/api/contacts');
  const known = new Set(state.contacts.map((c) => c.conversationId));
  state.contacts = contacts;
  for (const contact of contacts) if (!known.has(contact.conversationId)) subscribe(contact.conversationId);
  renderContacts();
}

async function openConversation(conversationId, fallbackTitle = 'Conversation') {
  state.open = conversationId;
  $('chat-error').textContent = '';
  const { messages } = await api(`/api/conversations/${conversationId}/messages?limit=100`);
  const seen = state.messages.get(conversationId) ?? new Map();
  for (const m of messages) seen.set(m.seq, m);
  state.messages.set(conversationId, seen);
  // history is a read model and may lag: resume the live stream from what it gave us
  const newestInHistory = messages.length ? messages[0].seq : 0;
  state.lastSeq.set(conversationId, newestInHistory);
  subscribe(conversationId);
  const contact = state.contacts.find((c) => c.conversationId === conversationId);
  if (contact) contact.unreadCount = 0;
  $('composer').hidden = false;
  $('conversation-title').textContent = contact ? contact.displayName : fallbackTitle;
  renderContacts();
  renderMessages();
  $('text').focus();
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

function renderContacts() {
  const list = $('contacts');
  list.replaceChildren();
  const sorted = [...state.contacts].sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
  for (const contact of sorted) {
    const item = document.createElement('li');
    item.className = 'contact' + (contact.conversationId === state.open ? ' active' : '');
    item.dataset.conversationId = contact.conversationId;
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.textContent = (contact.displayName ?? '?').slice(0, 1).toUpperCase();
    const text = document.createElement('div');
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = contact.displayName;
    const preview = document.createElement('div');
    preview.className = 'preview';
    preview.textContent = contact.lastMessagePreview ?? 'No messages yet';
    text.append(name, preview);
    item.append(avatar, text);
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

function renderMessages() {
  const list = $('messages');
  list.replaceChildren();
  if (!state.open) return;
  const stored = [...(state.messages.get(state.open) ?? new Map()).values()].sort((a, b) => a.seq - b.seq);
  const storedIds = new Set(stored.map((m) => m.clientMessageId));
  for (const m of stored) list.append(bubble(m.text, m.senderId === state.user, `${m.senderId} · ${new Date(m.sentAt).toLocaleTimeString()}`));
  for (const [clientMessageId, p] of state.pending) {
    if (p.conversationId !== state.open || storedIds.has(clientMessageId)) continue;
    const item = bubble(p.text, true, p.state === 'failed' ? 'failed · click to retry' : p.state);
    item.classList.add(p.state === 'failed' ? 'failed' : 'pending');
    if (p.state === 'failed') item.onclick = () => { transmit(clientMessageId, p); renderMessages(); };
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

function bubble(text, mine, meta) {
  const item = document.createElement('li');
  item.className = 'message' + (mine ? ' mine' : '');
  const body = document.createElement('div');
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
}

async function startChatWith(user) {
  const { conversationId, counterpartId } = await api('/api/conversations', { method: 'POST', body: JSON.stringify({ with: user }) });
  await refreshContacts();
  if (!state.contacts.some((c) => c.conversationId === conversationId)) {
    // the sidebar is a read model and may not have caught up with a conversation started this instant
    state.contacts.push({ conversationId, counterpartId, displayName: counterpartId, lastSeq: 0, unreadCount: 0,
      lastActivity: new Date().toISOString(), lastMessagePreview: null });
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
  const target = new URLSearchParams(location.search).get('with');
  if (target && target !== state.user) await startChatWith(target);
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
    await startChatWith($('start-user').value.trim());
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

const remembered = sessionStorage.getItem('hirechat.user') ?? new URLSearchParams(location.search).get('as');
if (remembered) enter(remembered).catch((e) => { $('login-error').textContent = e.message; });
