import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { NavItem } from '../src/nav';

export type LayoutProps = {
  title: string;
  viewer: { id: number; name: string; role: string } | null;
  csrfToken: string | null;
  nav: NavItem[];
  currentPath: string;
  flash?: string | null;
};

/**
 * A navigation count; always present (hidden at zero) so an in-place answer can replace it
 * out of band (`oob`) and the count follows what the person just did.
 */
export function NavBadge(props: { name: string; count: number; oob?: boolean }) {
  const oob = props.oob ? { 'hx-swap-oob': 'true' } : {};
  if (props.count <= 0) return <span class="badge" id={`nav-badge-${props.name}`} hidden {...oob}></span>;
  return (
    <span class="badge" id={`nav-badge-${props.name}`} aria-label={`${props.count} pending`} {...oob}>
      {props.count}
    </span>
  );
}

const htmxConfig = JSON.stringify({ includeIndicatorStyles: false, allowScriptTags: false, allowEval: false, historyCacheSize: 0 });

/** The one page frame: navigation for the viewer's role, the CSRF token for htmx, our own CSS and scripts only. */
export function Layout(props: LayoutProps & { children?: Child }) {
  const { viewer, nav, currentPath } = props;
  const hxHeaders = props.csrfToken ? JSON.stringify({ 'X-CSRF-Token': props.csrfToken }) : undefined;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={htmxConfig} />
          <title>{props.title} · crosstrain</title>
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/app.css" />
          <script src="/static/htmx.min.js" defer></script>
          <script src="/static/app.js" defer></script>
        </head>
        <body hx-headers={hxHeaders}>
          <a class="skip-link" href="#main">Skip to content</a>
          <header class="topbar">
            <a class="brand" href="/">crosstrain</a>
            {viewer && (
              <>
                <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label="Show navigation" />
                <label for="nav-toggle" class="nav-toggle-label" aria-hidden="true">Menu</label>
                <nav aria-label="Main">
                  <ul>
                    {nav.map((item) => {
                      const active = item.href === '/' ? currentPath === '/' : currentPath === item.href || currentPath.startsWith(item.href + '/');
                      return (
                        <li>
                          <a href={item.href} aria-current={active ? 'page' : undefined}>
                            {item.label}
                            {item.badgeKey ? <NavBadge name={item.badgeKey} count={Number(item.badge ?? 0)} /> : null}
                          </a>
                        </li>
                      );
                    })}
                  </ul>
                </nav>
                <div class="account">
                  <a href="/account" class="account-name">
                    {viewer.name}
                  </a>
                  <span class="role-tag">{viewer.role}</span>
                  <form method="post" action="/logout" class="inline">
                    <input type="hidden" name="_csrf" value={props.csrfToken ?? ''} />
                    <button type="submit" class="link-button">
                      Sign out
                    </button>
                  </form>
                </div>
              </>
            )}
          </header>
          <main id="main" tabindex={-1}>
            {props.flash && (
              <p class="flash" role="status">
                {props.flash}
              </p>
            )}
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
