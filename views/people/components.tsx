import { FindField } from '../components';
import { PEOPLE_FOUND } from '../../src/people/choices';
/** Shown to HR until the company has a default time zone. */
export function ZonePrompt() {
  return (
    <p class="notice">
      Choose the company's default time zone: people added or imported without a time zone get it. <a href="/settings">Set it in company settings</a>.
    </p>
  );
}

export function WelcomeCheckbox(props: { checked: boolean; hint?: string }) {
  return (
    <div class="field checkbox">
      <input type="hidden" name="sendWelcome" value="false" />
      <label>
        <input type="checkbox" name="sendWelcome" value="true" checked={props.checked} /> Send a welcome mail with a link to choose a password
      </label>
      <p class="hint">{props.hint ?? 'A single-use link, valid 7 days. Untick it to add the person without mail.'}</p>
    </div>
  );
}

/** The Find field of a manager select in a company with too many managers to list (see managerChoices). */
export function FindManagerField(props: { name: string; button: string; value: unknown; label?: string }) {
  return (
    <FindField
      name={props.name}
      label={props.label ?? 'Find a manager'}
      button={props.button}
      buttonLabel="Find managers"
      value={props.value}
      hint={`By name, address or title: the list then shows the first ${PEOPLE_FOUND} managers and HR people found.`}
    />
  );
}
