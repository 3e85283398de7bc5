// Email digest settings (docs/notifications.md): a small dialog over GET and PUT /api/me/preferences.
// app.js calls wireSettings once per session with its element lookup and its authenticated API call.

const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Fills the form from the server's preferences; a zone never chosen (UTC) is offered as this device's. */
function fill(form, preferences) {
  form.elements['settings-digests'].checked = preferences.emailDigests;
  form.elements['settings-delay'].value = preferences.delayMinutes ?? '';
  form.elements['settings-quiet'].checked = preferences.quietHours !== null;
  form.elements['settings-quiet-start'].value = preferences.quietHours?.start ?? '22:00';
  form.elements['settings-quiet-end'].value = preferences.quietHours?.end ?? '07:00';
  form.elements['settings-zone'].value = preferences.timeZone === 'UTC' ? deviceZone() : preferences.timeZone;
}

/** The PUT body the form describes. */
function read(form) {
  const delay = form.elements['settings-delay'].value.trim();
  return {
    emailDigests: form.elements['settings-digests'].checked,
    delayMinutes: delay === '' ? null : Number(delay),
    quietHours: form.elements['settings-quiet'].checked
      ? { start: form.elements['settings-quiet-start'].value, end: form.elements['settings-quiet-end'].value }
      : null,
    timeZone: form.elements['settings-zone'].value.trim(),
  };
}

export function wireSettings($, api) {
  const dialog = $('settings-dialog');
  const form = $('settings-form');
  const status = $('settings-error');
  $('email-settings').onclick = async () => {
    status.textContent = '';
    try {
      const preferences = await api('/api/me/preferences');
      fill(form, preferences);
      $('settings-no-email').hidden = preferences.hasEmail;
      dialog.showModal();
    } catch (e) {
      status.textContent = e.message;
    }
  };
  $('settings-cancel').onclick = () => dialog.close();
  form.onsubmit = async (event) => {
    event.preventDefault();
    status.textContent = '';
    try {
      await api('/api/me/preferences', { method: 'PUT', body: JSON.stringify(read(form)) });
      dialog.close();
    } catch (e) {
      status.textContent = e.message;   // the server's message for its stable code, e.g. invalid_time_zone
    }
  };
}
