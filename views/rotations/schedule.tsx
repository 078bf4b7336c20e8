import type { PersonRotation } from '../../src/rotations/reads';

/**
 * A person's rotations for their schedule page: where they are (or mentor someone) and until when.
 * Feed it rotationsForPerson(db, personId, from, to) for the weeks the schedule shows.
 */
export function ScheduleRotations(props: { rotations: PersonRotation[]; today: string }) {
  if (props.rotations.length === 0) return null;
  return (
    <section class="card" id="schedule-rotations" aria-label="Rotations">
      <h2>Rotations</h2>
      <ul>
        {props.rotations.map((r) => {
          const now = r.startDate <= props.today && props.today <= r.endDate;
          return (
            <li>
              <a href={`/rotations/${r.rotationId}`}>{r.role === 'person' ? `With ${r.hostTeamName}` : `Mentoring ${r.personName} in ${r.hostTeamName}`}</a>{' '}
              {r.startDate} to {r.endDate}{' '}
              <span class="muted">
                ({r.programName}
                {r.role === 'person' && r.mentorName ? `, mentor ${r.mentorName}` : ''})
              </span>{' '}
              {now && <span class="tag active">now</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
