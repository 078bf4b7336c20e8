/** What other features read of rotations: a person's rotations for schedules and calendars, and who is away. */
export { awayPeople, rotationsForPerson, type AwayPerson, type PersonRotation } from './reads';
