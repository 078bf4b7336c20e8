import { Layout, type LayoutProps } from './layout';

export function ErrorPage(props: { layout: LayoutProps; status: number; message: string; issues?: { path: string; message: string }[] }) {
  const heading =
    props.status === 401
      ? 'Please sign in'
      : props.status === 403
        ? 'Not allowed'
        : props.status === 404
          ? 'Not found'
          : props.status >= 500
            ? 'Something went wrong'
            : 'That did not work';
  return (
    <Layout {...props.layout}>
      <div class="card">
        <h1>{heading}</h1>
        <p>{props.message}</p>
        {props.issues && props.issues.length > 0 && (
          <ul>
            {props.issues.map((i) => (
              <li>
                {i.path ? <strong>{i.path}: </strong> : null}
                {i.message}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/">Back to my schedule</a>
        </p>
      </div>
    </Layout>
  );
}
