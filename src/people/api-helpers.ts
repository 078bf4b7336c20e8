/**
 * What the people API's sub-apps share: the tag their operations are filed under and the id in the path.
 */
import { z } from 'zod';
import { pathIdSchema } from '../lib/validation';

export const tags = ['people'];

export const idParam = z.object({ id: pathIdSchema });
