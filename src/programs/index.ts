/** What other features use of programs: creating programs and requirements, enrolling people, and keeping enrollments current as people change. */
export { addRequirement, createProgram, createTopic, getProgram } from './programs';
export { enrollPeople, syncEnrollmentsForPeople, type EnrollResult } from './enrollment';
