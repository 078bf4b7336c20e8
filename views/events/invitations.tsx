import type { InvitationStatus } from '../../db/schema';
import { PageHeader, PostForm, Table } from '../components';
import { Layout, type LayoutProps } from '../layout';
import { InvitationCard, type ConflictView, type InvitationItem } from './components';

export function InvitationsPage(props: { layout: LayoutProps; items: InvitationItem[]; conflicts: ConflictView[][] }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Invitations" />
      {props.items.length === 0 ? (
        <p class="card muted">No invitations waiting for an answer.</p>
      ) : (
        <div class="grid invitations">
          {props.items.map((item, i) => (
            <InvitationCard item={item} csrfToken={props.layout.csrfToken} next="/invitations" conflicts={props.conflicts[i]} />
          ))}
        </div>
      )}
    </Layout>
  );
}

type ApprovalItem = { invitationId: number; personName: string; title: string; when: string; href: string; status: InvitationStatus };

export function ApprovalsPage(props: { layout: LayoutProps; items: ApprovalItem[]; requireApproval: boolean | null }) {
  return (
    <Layout {...props.layout}>
      <PageHeader title="Seat claim approvals" />
      {props.requireApproval !== null && (
        <PostForm action="/approvals/policy" csrfToken={props.layout.csrfToken} class="card stack">
          <label class="checkbox">
            <input type="checkbox" name="requireApproval" value="true" checked={props.requireApproval} /> My reports need my approval before a claimed seat is
            theirs
          </label>
          <button type="submit" class="secondary">
            Save
          </button>
        </PostForm>
      )}
      {props.items.length === 0 ? (
        <p class="card muted">No claims waiting for approval.</p>
      ) : (
        <Table
          columns={['Who', 'Event', 'When', 'Decision']}
          rows={props.items}
          row={(i) => (
            <tr>
              <td data-label="Who">{i.personName}</td>
              <td data-label="Event">
                <a href={i.href}>{i.title}</a> {i.status === 'waitlisted' && <span class="tag waitlisted">waitlisted</span>}
              </td>
              <td data-label="When">{i.when}</td>
              <td data-label="Decision">
                <PostForm action={`/approvals/${i.invitationId}`} csrfToken={props.layout.csrfToken} class="inline">
                  <button type="submit" name="decision" value="approve" class="small">
                    Approve
                  </button>{' '}
                  <button type="submit" name="decision" value="reject" class="small danger">
                    Reject
                  </button>
                </PostForm>
              </td>
            </tr>
          )}
        />
      )}
    </Layout>
  );
}
