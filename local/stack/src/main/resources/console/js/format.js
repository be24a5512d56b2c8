// Formatting of times, durations and statuses.

/** Milliseconds since the epoch from an AWS JSON timestamp (epoch seconds) or an ISO string. */
export function toMillis(value) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value < 1e11 ? Math.round(value * 1000) : value;
  const n = Number(value);
  if (!Number.isNaN(n)) return toMillis(n);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Local date and time with milliseconds, e.g. 2025-01-31 14:05:09.123. */
export function formatTime(value) {
  const ms = toMillis(value);
  if (ms === null) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A duration such as 850 ms, 12.4 s, 3 min 05 s, 2 h 01 min. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** Duration between two AWS timestamps; until now when the end is missing. */
export function durationBetween(start, stop) {
  const a = toMillis(start);
  if (a === null) return null;
  const b = toMillis(stop) ?? Date.now();
  return b - a;
}

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** CSS class of a status word (execution status or derived state status). */
export function statusClass(status) {
  return `status-${String(status || 'unknown').toLowerCase().replace(/[^a-z]+/g, '-')}`;
}

/** The words shown for a status. */
export function statusLabel(status) {
  const s = String(status || 'unknown').toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The queue name behind an execution input's eventSourceARN (or its queueName). */
export function sourceQueue(input) {
  if (!input || typeof input !== 'object') return null;
  if (typeof input.queueName === 'string' && input.queueName) return input.queueName;
  const arn = input.eventSourceARN;
  if (typeof arn === 'string' && arn.includes(':')) return arn.slice(arn.lastIndexOf(':') + 1);
  return null;
}

/** JSON.parse that returns null instead of throwing. */
export function tryParse(text) {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
