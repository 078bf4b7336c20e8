import { departmentLabel } from '../labels';
import { ruleBreakSentence, ruleTitle } from '../../src/rotations/rules';
import type { RuleViolation } from '../../src/rotations/rules';

export const DIRECTION_SHORT: Record<string, string> = { marketing_to_sales: 'Marketing → sales', sales_to_marketing: 'Sales → marketing', both: 'Both ways' };

export const StatusTag = (props: { status: string }) => <span class={`tag ${props.status}`}>{departmentLabel(props.status)}</span>;

export function RotationsNav(props: { role: string; current: string }) {
  const links: [string, string, boolean][] = [
    ['/rotations', 'Overview', true],
    ['/rotations/timeline', 'Timeline', props.role !== 'employee'],
    ['/rotations/planner', 'Planner', props.role === 'hr'],
    ['/rotations/new', 'Schedule one', props.role === 'hr'],
    ['/rotations/programs', 'Programs', props.role === 'hr'],
    ['/rotations/blackouts', 'Blackouts', props.role === 'hr'],
    ['/rotations/periods', 'My availability', true],
  ];
  return (
    <nav class="subnav" aria-label="Rotations">
      <ul>
        {links
          .filter(([, , show]) => show)
          .map(([href, label]) => (
            <li>
              <a href={href} aria-current={props.current === href ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

export function ViolationList(props: { violations: RuleViolation[]; id?: string }) {
  if (!props.violations.length) return null;
  return (
    <ul class="violations" id={props.id}>
      {props.violations.map((v) => (
        <li data-rule={v.code}>
          <strong>{ruleTitle(v.code)}:</strong> {ruleBreakSentence(v)}
        </li>
      ))}
    </ul>
  );
}
