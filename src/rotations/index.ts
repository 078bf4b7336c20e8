/** What other features read of rotations: a person's rotations for schedules and calendars, and who is away; the job that moves stored statuses. */
export { rotationsForPerson, type PersonRotation } from './reads';
export { startRotationStatusJob } from './lifecycle';
