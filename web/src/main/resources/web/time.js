// Dates and times as the reader reads them: their locale and time zone (Intl), calendar days of that zone.
// Pure functions of (instant, now), so the browser tests can check them with fixed dates.

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar day of `date` in the reader's time zone, as a comparable number (yyyymmdd). */
export function dayKey(date) {
  return date.getFullYear() * 10000 + (date.getMonth() + 1) * 100 + date.getDate();
}

/** Whole calendar days from `date` to `now` in the reader's zone (0 = same day), daylight-saving safe. */
export function daysBetween(date, now) {
  const a = Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  const b = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((b - a) / DAY_MS);
}

function capitalise(text, locale) {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/** "14:05" or "2:05 PM", as the locale writes a time of day. */
export function timeOfDay(date, locale) {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
}

/** The label of a day separator: "Today", "Yesterday", a weekday within the last week, else the full date. */
export function dayLabel(date, now = new Date(), locale = undefined) {
  const days = daysBetween(date, now);
  if (days === 0 || days === 1) {
    return capitalise(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-days, 'day'), locale);
  }
  if (days > 1 && days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(date);
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }) }).format(date);
}

/** The time in the sidebar: the time today, "Yesterday", a short weekday this week, else a short date. */
export function sidebarTime(date, now = new Date(), locale = undefined) {
  const days = daysBetween(date, now);
  if (days <= 0) return timeOfDay(date, locale);
  if (days === 1) return dayLabel(date, now, locale);
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) })
    .format(date);
}

/** The full date and time, for a tooltip and for screen readers. */
export function fullDateTime(date, locale = undefined) {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}
