import { ACCESS } from '../hardening/support/routes';

/** Every page a person opens: GET routes that answer HTML (no API, downloads, feeds or static files). */
export const PAGE_KEYS = Object.keys(ACCESS).filter(
  (key) => key.startsWith('GET /') && !key.startsWith('GET /api/') && !key.startsWith('GET /static') && !key.startsWith('GET /calendar/') && !/\.(csv|ics|json)\b/.test(key) && key !== 'GET /healthz',
);

/** One demo person per role (and department) who visits every page. */
export const ROLES = [
  { name: 'HR', email: 'hr@example.com' },
  { name: 'manager', email: 'sales.manager@example.com' },
  { name: 'employee in sales', email: 'rep@example.com' },
  { name: 'employee in marketing', email: 'marketer@example.com' },
] as const;
