/**
 * What the feedback pages' sub-apps share.
 */
import { z } from 'zod';
import { pathIdSchema } from '../lib/validation';

export const idParam = z.object({ id: pathIdSchema });
