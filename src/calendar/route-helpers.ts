/** What the calendar's sub-apps share: the public base address and the id in a path. */
import { z } from 'zod';
import type { AppContext } from '../context';
import { pathIdSchema } from '../lib/validation';

/** Public base address for links that leave the browser (feeds, mails): the configured one, else the request's. */
export const baseUrlOf = (c: AppContext) => c.var.deps.settings.baseUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;

export const idParam = z.object({ id: pathIdSchema });
