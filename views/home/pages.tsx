import { navFor } from '../../src/nav';
import { Layout, type LayoutProps } from '../layout';

export function HomePage(props: { layout: LayoutProps; name: string; role: 'hr' | 'manager' | 'employee' }) {
  return (
    <Layout {...props.layout}>
      <h1>Welcome, {props.name}</h1>
      <div class="grid">
        {navFor(props.role)
          .filter((e) => e.href !== '/')
          .map((e) => (
            <a class="card" href={e.href}>
              {e.label}
            </a>
          ))}
      </div>
    </Layout>
  );
}
