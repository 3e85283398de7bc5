// Text helpers of the chat page: the length the server counts, safe links, and what an error means to a person.

/** The server's limit on a message, in Unicode code points (docs/protocol.md, text_too_long). */
export const MAX_CODE_POINTS = 4000;

/** Code points, as the server counts them: an emoji is one, not two UTF-16 units. */
export function codePoints(text) {
  let count = 0;
  for (const _ of text) count += 1;   // string iteration walks code points
  return count;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/**
 * Puts `text` into `element` as text nodes, with every http(s) URL made a link that opens in a new tab without
 * giving that tab a handle on this one (rel=noopener noreferrer). Nothing is ever parsed as HTML, and any other
 * scheme (javascript:, data:, …) stays plain text.
 */
export function renderWithLinks(element, text) {
  element.replaceChildren();
  let from = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING_PUNCTUATION, '');
    let url;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    element.append(document.createTextNode(text.slice(from, match.index)));
    const link = document.createElement('a');
    link.href = url.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = raw;
    element.append(link);
    from = match.index + raw.length;
  }
  element.append(document.createTextNode(text.slice(from)));
}

// What each stable code of docs/protocol.md and docs/api.md means to the person in front of the page.
const MESSAGES = {
  rate_limited: 'You are sending very fast; the next messages go out in a moment.',
  unavailable: 'HireChat could not store that just now; trying again.',
  internal_error: 'Something went wrong on our side; trying again.',
  empty_text: 'An empty message cannot be sent.',
  text_too_long: 'That message is too long: at most 4,000 characters.',
  invalid_text: 'That message contains characters that cannot be sent.',
  frame_too_large: 'That message is too long: at most 4,000 characters.',
  not_a_participant: 'You are no longer in this conversation.',
  unknown_message: 'That message no longer exists.',
  not_the_author: 'Only the author can edit a message.',
  not_allowed: 'Only the author can remove this message.',
  message_redacted: 'That message was removed and can no longer be edited.',
  unknown_user: 'There is nobody with that name on HireChat.',
  invalid_user_id: 'That is not a valid user name: letters, digits and . _ @ - only.',
  invalid_participants: 'Pick at least one other person for the group.',
  invalid_title: 'Give the group a name of 1 to 100 characters.',
  invalid_profile: 'That name cannot be used.',
  not_a_group: 'Only groups have members to add or remove.',
  not_ready: 'This conversation is still being set up; try again in a moment.',
  dev_login_disabled: 'Signing in by name is switched off on this server.',
  invalid_token: 'Your session has ended; sign in again.',
  unauthenticated: 'Your session has ended; sign in again.',
  forbidden: 'You are not allowed to do that.',
  payload_too_large: 'That is too large to send.',
  invalid_query: 'Type 1 to 64 characters to search for someone.',
};

export const OFFLINE = 'HireChat cannot be reached right now. Your messages are kept and sent when it is back.';
const FALLBACK = 'Something went wrong. Please try again.';

/** A sentence for an error code (or an exception from fetch), never the raw code or "Failed to fetch". */
export function describeError(codeOrError) {
  if (codeOrError instanceof TypeError) return OFFLINE;    // what fetch throws when the network is down
  const code = typeof codeOrError === 'string' ? codeOrError : codeOrError?.code;
  return MESSAGES[code] ?? FALLBACK;
}

/** Codes after which the same send may succeed later: retried with back-off, keeping the clientMessageId. */
export function isTransient(code) {
  return code === 'rate_limited' || code === 'unavailable' || code === 'internal_error';
}
