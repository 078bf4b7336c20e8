/** What other features read of rotations: a person's rotations for schedules and calendars, and who is away. */
export { rotationsForPerson, type PersonRotation } from './reads';
