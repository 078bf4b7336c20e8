import type { RoundRow, RoundStatus } from '../../src/surveys/surveys';
import { ErrorSummary, Field, PostForm } from '../components';
import type { FieldErrors } from '../components';
import { Layout, type LayoutProps } from '../layout';

export function AnswerPage(props: {
  layout: LayoutProps;
  round: RoundRow & { status: RoundStatus };
  values: string[];
  errors?: FieldErrors;
  answered: boolean;
}) {
  const closed = props.round.status === 'closed';
  return (
    <Layout {...props.layout}>
      <h1>{props.round.title}</h1>
      <p class="lead">
        What are our company's top three competitive advantages? Answer in your own words — there is no list to choose from.
        {props.round.anonymous && ' Your answers are anonymous: no report shows your name.'}
      </p>
      {closed ? (
        <section class="card">
          <p class="notice">This round is closed{props.answered ? '. Your answers:' : ' and you did not answer it.'}</p>
          {props.answered && (
            <ol>
              {props.values.map((value) => (
                <li>{value}</li>
              ))}
            </ol>
          )}
        </section>
      ) : (
        <>
          {props.answered && <p class="muted">You answered already; you can change your answers until the end of {props.round.closesOn}.</p>}
          <ErrorSummary errors={props.errors} labels={{ answer1: 'First answer', answer2: 'Second answer', answer3: 'Third answer' }} />
          <PostForm action={`/surveys/${props.round.id}/answer`} csrfToken={props.layout.csrfToken} class="stack card" novalidate>
            {[1, 2, 3].map((position) => (
              <Field
                name={`answer${position}`}
                label={position === 1 ? 'First advantage' : position === 2 ? 'Second advantage' : 'Third advantage'}
                required
                value={props.values[position - 1] ?? ''}
                errors={props.errors}
                autocomplete="off"
              />
            ))}
            <button type="submit">{props.answered ? 'Save my answers' : 'Send my answers'}</button>
          </PostForm>
        </>
      )}
    </Layout>
  );
}
