import { z } from 'zod';
import { pathIdSchema } from '../lib/validation';

/** The round id in a survey page's path. */
export const idParam = z.object({ id: pathIdSchema });
