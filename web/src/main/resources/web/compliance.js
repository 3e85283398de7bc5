// The compliance console (docs/compliance.md#console): find, replay, export, holds and erasure, audit. Plain ES module,
// no build step, only the HTTP API (docs/api.md). Texts are always rendered with textContent.

const STORAGE = 'hirechat.console.';   // every sessionStorage key of this page starts with it
// Export formats, in the order offered. A format is one entry: the server streams it, the page only names it.
export const FORMATS = [
  { value: 'jsonl', label: 'JSON Lines (with the hash chain)' },
  { value: 'csv', label: 'CSV' },
  { value: 'zip', label: 'ZIP: JSON Lines, the files and a manifest (one conversation)', oneConversation: true },
];

const $ = (id) => document.getElementById(id);
const state = { token: null, user: null, reason: null, search: null, searchPage: 1, auditPage: 1, replay: null };

// ---- sign-in and the investigation's reason ------------------------------------------------------------------

function tokenInFragment() {
  const match = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(match[1]);
}

function show(step) {
  $('sign-in').hidden = step !== 'sign-in';
  $('reason-step').hidden = step !== 'reason';
  $('console').hidden = step !== 'console';
}

async function begin() {
  const token = tokenInFragment() ?? sessionStorage.getItem(`${STORAGE}token`);
  if (!token) return signInScreen();
  state.token = token;
  const me = await api('/api/me').catch(() => null);
  if (!me) return signInScreen();
  if (!me.roles.includes('compliance')) {
    signOut();
    $('sign-in-error').textContent = `${me.userId} does not have the compliance role.`;
    return;
  }
  sessionStorage.setItem(`${STORAGE}token`, token);
  state.user = me.userId;
  $('me').textContent = me.userId;
  state.reason = sessionStorage.getItem(`${STORAGE}reason`);
  if (!state.reason) return askReason();
  enterConsole();
}

function signInScreen() {
  show('sign-in');
  // the development sign-in exists only on the local run: ask the server rather than guess
  fetch('/api/dev/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    .then((response) => { $('sign-in-form').hidden = response.status === 404; });
  $('sign-in-user').focus();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const userId = $('sign-in-user').value.trim();
  const response = await fetch('/api/dev/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId, roles: ['compliance'] }),
  });
  const body = await response.json();
  if (!response.ok) { $('sign-in-error').textContent = body.error?.message ?? 'Sign-in failed.'; return; }
  sessionStorage.setItem(`${STORAGE}token`, body.token);
  $('sign-in-error').textContent = '';
  begin();
});

function askReason() {
  show('reason');
  $('reason-input').value = state.reason ?? '';
  $('reason-input').focus();
}

$('reason-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.reason = $('reason-input').value.trim();
  if (!state.reason) return;
  sessionStorage.setItem(`${STORAGE}reason`, state.reason);
  enterConsole();
});

$('change-reason').addEventListener('click', askReason);

function signOut() {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(STORAGE)) sessionStorage.removeItem(key);
  Object.assign(state, { token: null, user: null, reason: null, search: null, replay: null });
  for (const body of document.querySelectorAll('#console tbody, #replay-transcript')) body.replaceChildren();
  signInScreen();
}
$('sign-out').addEventListener('click', signOut);

function enterConsole() {
  show('console');
  $('reason-shown').textContent = state.reason;
  openTab(sessionStorage.getItem(`${STORAGE}tab`) ?? 'find');
}

// ---- tabs ------------------------------------------------------------------------------------------------------

function openTab(name) {
  for (const button of document.querySelectorAll('.tabs button')) {
    if (button.dataset.tab === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const section of document.querySelectorAll('.tab')) section.hidden = section.id !== `tab-${name}`;
  sessionStorage.setItem(`${STORAGE}tab`, name);
  $('error').textContent = '';
  if (name === 'holds') loadHolds();
  if (name === 'audit') loadAudit();
  if (name === 'export') describeSearch();
}
for (const button of document.querySelectorAll('.tabs button')) {
  button.addEventListener('click', () => openTab(button.dataset.tab));
}

// ---- the API ---------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

function withReason(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(key, value);
  if (state.reason) query.set('reason', state.reason);
  return `${path}?${query}`;
}

async function call(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${state.token}`, ...(options.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  if (response.status === 401) { signOut(); throw new ApiError(401, 'unauthenticated', 'Please sign in again.'); }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiError(response.status, body.error?.code ?? 'error', body.error?.message ?? response.statusText);
  }
  return response;
}

async function api(path, options) {
  return (await call(path, options)).json();
}

function failed(error) {
  $('error').textContent = error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
}

// Dates of the date inputs are whole days in UTC: from the start of "from" to the end of "until".
function dayStart(value) { return value ? `${value}T00:00:00Z` : ''; }
function dayAfter(value) {
  if (!value) return '';
  const day = new Date(`${value}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().replace('.000Z', 'Z');
}

function cell(row, text) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  return td;
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '';
}

// ---- find ------------------------------------------------------------------------------------------------------

function searchCriteria(form) {
  const data = new FormData(form);
  return {
    q: data.get('q').trim(), participant: data.get('participant').trim(), job: data.get('job').trim(),
    from: dayStart(data.get('from')), to: dayAfter(data.get('to')),
  };
}

$('find-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.search = searchCriteria(event.target);
  runSearch(1);
});

let searchTicket = 0;
async function runSearch(page) {
  const ticket = ++searchTicket;
  try {
    const result = await api(withReason('/api/compliance/search', { ...state.search, page }));
    if (ticket !== searchTicket) return;   // a later search is on its way: only its answer is shown
    state.searchPage = page;
    const pages = Math.max(1, Math.ceil(result.totalConversations / result.pageSize));
    $('find-summary').textContent = `${result.totalConversations} conversation(s), ${result.totalMatches} matching `
      + `message(s). Page ${page} of ${pages}.`;
    const body = $('find-results').tBodies[0];
    body.replaceChildren();
    for (const hit of result.conversations) {
      const row = body.insertRow();
      cell(row, hit.title ? `${hit.title} (group)` : `${hit.kind === 'GROUP' ? 'Group' : 'Direct'} ${hit.conversationId}`);
      cell(row, hit.participants.join(', '));
      cell(row, hit.matches);
      cell(row, when(hit.lastMatchAt));
      const actions = cell(row, '');
      const replay = document.createElement('button');
      replay.type = 'button';
      replay.className = 'secondary';
      replay.textContent = 'Replay';
      replay.setAttribute('aria-label', `Replay conversation ${hit.conversationId}`);
      replay.addEventListener('click', () => { openTab('replay'); loadReplay(hit.conversationId); });
      actions.append(replay);
    }
    $('find-results').hidden = result.conversations.length === 0;
    $('find-previous').hidden = page <= 1;
    $('find-next').hidden = page >= pages;
  } catch (error) { failed(error); }
}
$('find-previous').addEventListener('click', () => runSearch(state.searchPage - 1));
$('find-next').addEventListener('click', () => runSearch(state.searchPage + 1));

// ---- replay ----------------------------------------------------------------------------------------------------

$('replay-form').addEventListener('submit', (event) => {
  event.preventDefault();
  loadReplay($('replay-id').value.trim());
});

async function loadReplay(id) {
  $('replay-id').value = id;
  try {
    const [record, verify] = await Promise.all([
      api(withReason(`/api/compliance/conversations/${encodeURIComponent(id)}/events`)),
      api(withReason(`/api/compliance/conversations/${encodeURIComponent(id)}/verify`)),
    ]);
    // one stop per distinct instant: events stored together (a batch) are one moment for the participants
    const instants = [...new Set(record.events.map((event) => event.at))];
    state.replay = { id, events: record.events, instants, verify, shown: 0 };
    const slider = $('replay-slider');
    slider.max = String(instants.length - 1);
    slider.value = String(instants.length - 1);
    $('replay-view').hidden = false;
    await showInstant(instants.length - 1);
    slider.focus();
  } catch (error) { failed(error); }
}

$('replay-slider').addEventListener('input', (event) => showInstant(Number(event.target.value)));

async function showInstant(index) {
  const replay = state.replay;
  if (!replay) return;
  const instant = replay.instants[index];
  const ticket = ++replay.shown;
  $('replay-instant').textContent = `${when(instant)} (${index + 1} of ${replay.instants.length})`;
  $('replay-slider').setAttribute('aria-valuetext', when(instant));
  const upTo = replay.events.filter((event) => event.at <= instant);
  renderEvents(upTo);
  renderParticipants(upTo);
  const lastSeq = upTo.at(-1)?.seq ?? -1;
  const broken = replay.verify.firstBrokenSeq;
  $('replay-chain').textContent = broken === null || broken > lastSeq
    ? `Hash chain verifies up to here (seq 0 to ${lastSeq}).`
    : `Hash chain broken at seq ${broken}: events from there on are not what was stored.`;
  $('replay-chain').classList.toggle('broken', !(broken === null || broken > lastSeq));
  try {
    const transcript = await api(withReason(
      `/api/compliance/conversations/${encodeURIComponent(replay.id)}/transcript`, { asOf: instant }));
    if (ticket !== replay.shown) return;   // the slider moved on meanwhile
    const list = $('replay-transcript');
    list.replaceChildren();
    for (const message of transcript.messages) {
      const item = document.createElement('li');
      item.dataset.seq = message.seq;
      const who = document.createElement('strong');
      who.textContent = `${message.senderId}: `;
      const text = document.createElement('span');
      text.dir = 'auto';
      if (message.removed) { text.textContent = 'Message removed'; item.classList.add('removed'); }
      else if (message.erased) { text.textContent = 'Message erased'; item.classList.add('removed'); }
      else text.textContent = message.text;
      const meta = document.createElement('span');
      meta.className = 'hint';
      meta.textContent = ` ${when(message.sentAt)}${message.editedAt && !message.removed ? ' (edited)' : ''}`;
      item.append(who, text, meta);
      list.append(item);
    }
    list.dataset.asOf = instant;
  } catch (error) { failed(error); }
}

function describe(event) {
  const e = event.event;
  switch (event.type) {
    case 'ConversationStarted': return `started ${e.kind.toLowerCase()}${e.title ? ` “${e.title}”` : ''} with ${e.participants.join(', ')}`;
    case 'MessageSent': return event.erased ? 'sent (text erased)' : `sent “${e.text}”`;
    case 'MessageEdited': return event.erased ? `edited seq ${e.messageSeq} (text erased)` : `edited seq ${e.messageSeq} to “${e.text}”`;
    case 'MessageRedacted': return `removed seq ${e.messageSeq}`;
    case 'ParticipantAdded': return `added ${e.participant}`;
    case 'ParticipantRemoved': return e.participant === e.removedBy ? 'left' : `removed ${e.participant}`;
    case 'JobLinked': return `linked job ${e.job.jobId} “${e.job.title}”`;
    case 'MessagesRead': return `read up to seq ${e.upToSeq}`;
    default: return event.type;
  }
}

function renderEvents(events) {
  const body = $('replay-events').tBodies[0];
  body.replaceChildren();
  for (const event of events) {
    const row = body.insertRow();
    cell(row, event.seq);
    cell(row, when(event.at));
    cell(row, event.actor);
    cell(row, describe(event)).dir = 'auto';
    const hash = cell(row, `${event.hash.slice(0, 12)}…`);
    hash.title = event.hash;
    hash.className = 'hash';
  }
}

function renderParticipants(events) {
  const now = new Set();
  for (const event of events) {
    if (event.type === 'ConversationStarted') event.event.participants.forEach((user) => now.add(user));
    if (event.type === 'ParticipantAdded') now.add(event.event.participant);
    if (event.type === 'ParticipantRemoved') now.delete(event.event.participant);
  }
  $('replay-participants').textContent = `Participants then: ${[...now].join(', ')}`;
}

// ---- export ----------------------------------------------------------------------------------------------------

for (const format of FORMATS) $('export-format').append(new Option(format.label, format.value));

function describeSearch() {
  $('export-search').textContent = state.search
    ? `Current search: ${Object.entries(state.search).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ') || 'everything'}`
    : 'No search yet: run one under Find to export its result.';
}

$('export-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  const format = data.get('format');
  const id = data.get('id').trim();
  const selection = data.get('selection');
  if (FORMATS.find((f) => f.value === format)?.oneConversation && selection !== 'conversation') {
    failed('ZIP with the files is for one conversation; export a selection as JSON Lines or CSV.');
    return undefined;
  }
  switch (selection) {
    case 'conversation':
      return download(withReason(`/api/compliance/conversations/${encodeURIComponent(id)}/export`, { format }),
        `conversation-${id}.${format}`);
    case 'user':
      return download(withReason('/api/compliance/export', { selection: 'user', user: id, format }), `user-${id}.${format}`);
    default:
      if (!state.search) { failed('Run a search under Find first.'); return undefined; }
      return download(withReason('/api/compliance/export', { selection: 'search', ...state.search, format }),
        `search.${format}`);
  }
});

// Streams the download, counting bytes as they arrive, then hands the file to the browser.
async function download(path, name) {
  const progress = $('export-progress');
  const status = $('export-status');
  $('error').textContent = '';
  try {
    const response = await call(path);
    const conversations = response.headers.get('X-Export-Conversations');
    const reader = response.body.getReader();
    const chunks = [];
    let bytes = 0;
    progress.hidden = false;
    progress.removeAttribute('value');
    status.dataset.state = 'running';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
      status.textContent = `Exporting${conversations ? ` ${conversations} conversation(s)` : ''}: ${bytes.toLocaleString()} bytes received…`;
    }
    progress.max = 1;
    progress.value = 1;
    status.textContent = `Done: ${name}, ${bytes.toLocaleString()} bytes${conversations ? ` of ${conversations} conversation(s)` : ''}.`;
    status.dataset.state = 'done';
    status.dataset.bytes = String(bytes);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob(chunks));
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    progress.hidden = true;
    status.textContent = '';
    status.dataset.state = 'failed';
    failed(error);
  }
}

// ---- holds and erasure -----------------------------------------------------------------------------------------

async function loadHolds() {
  try {
    const { holds } = await api('/api/compliance/holds');
    const body = $('holds').tBodies[0];
    body.replaceChildren();
    for (const hold of holds) {
      const row = body.insertRow();
      cell(row, hold.matter);
      cell(row, `${hold.kind === 'USER' ? 'user' : 'conversation'} ${hold.id}`);
      cell(row, `${when(hold.placedAt)} by ${hold.placedBy}`);
      cell(row, hold.active ? 'Active' : `Released ${when(hold.releasedAt)} by ${hold.releasedBy}`);
      const actions = cell(row, '');
      if (hold.active) {
        const release = document.createElement('button');
        release.type = 'button';
        release.className = 'secondary';
        release.textContent = 'Release';
        release.setAttribute('aria-label', `Release hold ${hold.matter} on ${hold.id}`);
        release.addEventListener('click', async () => {
          try {
            await api(`/api/compliance/holds/${hold.holdId}`, { method: 'DELETE' });
            await loadHolds();
          } catch (error) { failed(error); }
        });
        actions.append(release);
      }
    }
  } catch (error) { failed(error); }
}

$('hold-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  try {
    await api('/api/compliance/holds', {
      method: 'POST',
      body: JSON.stringify({ kind: data.get('kind'), id: data.get('id').trim(), matter: data.get('matter').trim() }),
    });
    event.target.reset();
    await loadHolds();
  } catch (error) { failed(error); }
});

$('erasure-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = $('erasure-user').value.trim();
  $('erasure-result').textContent = '';
  try {
    const impact = await api(`/api/compliance/users/${encodeURIComponent(user)}/erasure?dryRun=true`, {
      method: 'POST', body: JSON.stringify({ reason: state.reason }),
    });
    $('erasure-impact').textContent = `Erasing ${impact.userId} will make unreadable: ${impact.messages} message(s) `
      + `in ${impact.conversations} conversation(s) and ${impact.profileFields} profile field(s).`
      + (impact.heldBy.length ? ` A legal hold defers it now (${impact.heldBy.join(', ')}): it would be recorded and carried out on release.` : '');
    $('erasure-preview').hidden = false;
    $('erasure-preview').dataset.user = impact.userId;
    $('erasure-confirm').focus();
  } catch (error) { $('erasure-preview').hidden = true; failed(error); }
});

$('erasure-confirm').addEventListener('click', () => {
  $('erasure-dialog-user').textContent = $('erasure-preview').dataset.user;
  $('erasure-dialog').showModal();
  $('erasure-cancel').focus();
});
$('erasure-cancel').addEventListener('click', () => { $('erasure-dialog').close(); $('erasure-confirm').focus(); });
$('erasure-go').addEventListener('click', async () => {
  const user = $('erasure-preview').dataset.user;
  $('erasure-dialog').close();
  $('erasure-preview').hidden = true;
  try {
    const outcome = await api(`/api/compliance/users/${encodeURIComponent(user)}/erasure`, {
      method: 'POST', body: JSON.stringify({ reason: state.reason }),
    });
    $('erasure-result').textContent = outcome.alreadyErased
      ? `${user} was erased already.`
      : `${user} is erased: ${outcome.destroyedKeys.length} key(s) destroyed.`;
  } catch (error) {
    $('erasure-result').textContent = '';
    failed(error);
  }
  $('erasure-user').focus();
});

// ---- audit -----------------------------------------------------------------------------------------------------

function auditFilter() {
  const data = new FormData($('audit-form'));
  return { actor: data.get('actor').trim(), conversation: data.get('conversation').trim(),
    from: dayStart(data.get('from')), to: dayAfter(data.get('to')) };
}

$('audit-form').addEventListener('submit', (event) => { event.preventDefault(); loadAudit(1); });

let auditTicket = 0;
async function loadAudit(page = state.auditPage) {
  const ticket = ++auditTicket;
  try {
    const result = await api(withReason('/api/compliance/access-log', { ...auditFilter(), page }));
    if (ticket !== auditTicket) return;   // a later request is on its way: only its answer is shown
    state.auditPage = page;
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    $('audit-summary').textContent = `${result.total} entr${result.total === 1 ? 'y' : 'ies'}. Page ${page} of ${pages}.`;
    const body = $('audit').tBodies[0];
    body.replaceChildren();
    for (const entry of result.entries) {
      const row = body.insertRow();
      cell(row, when(entry.accessedAt));
      cell(row, entry.accessedBy);
      cell(row, entry.action);
      cell(row, entry.conversationId);
      cell(row, entry.reason).dir = 'auto';
      cell(row, entry.detail).dir = 'auto';
    }
    $('audit-previous').hidden = page <= 1;
    $('audit-next').hidden = page >= pages;
  } catch (error) { failed(error); }
}
$('audit-previous').addEventListener('click', () => loadAudit(state.auditPage - 1));
$('audit-next').addEventListener('click', () => loadAudit(state.auditPage + 1));
for (const format of ['csv', 'jsonl']) {
  $(`audit-export-${format}`).addEventListener('click', () => {
    openTab('export');
    download(withReason('/api/compliance/access-log/export', { ...auditFilter(), format }), `access-log.${format}`);
  });
}

begin();
