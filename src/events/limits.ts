/** Bounds on how much work one request about events may ask for (no imports: read at module load). */

/** Most people one invitation request names (form or API). */
export const MAX_INVITED_AT_ONCE = 500;
