import { roleLabel } from './labels';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { NavGroup, NavItem } from '../src/nav';

export type LayoutProps = {
  title: string;
  viewer: { id: number; name: string; role: string } | null;
  csrfToken: string | null;
  nav: NavGroup[];
  currentPath: string;
  flash?: string | null;
};

const htmxConfig = JSON.stringify({ includeIndicatorStyles: false, allowScriptTags: false, allowEval: false, historyCacheSize: 0 });

/** An HTML document of crosstrain: its title, our icon, what `meta` and `head` add (styles, scripts) and the body. */
export function HtmlDocument(props: { title: string; meta?: Child; head?: Child; bodyAttributes?: Record<string, string | undefined>; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {props.meta}
          <title>{props.title} · crosstrain</title>
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          {props.head}
        </head>
        <body {...props.bodyAttributes}>{props.children}</body>
      </html>
    </>
  );
}

/** The one page frame: navigation for the viewer's role, the CSRF token for htmx, our own CSS and scripts only. */
export function Layout(props: LayoutProps & { children?: Child }) {
  const { viewer, nav, currentPath } = props;
  const hxHeaders = props.csrfToken ? JSON.stringify({ 'X-CSRF-Token': props.csrfToken }) : undefined;
  return (
    <HtmlDocument
      title={props.title}
      meta={<meta name="htmx-config" content={htmxConfig} />}
      head={
        <>
          <link rel="stylesheet" href="/static/app.css" />
          <script src="/static/htmx.min.js" defer></script>
          <script src="/static/app.js" defer></script>
        </>
      }
      bodyAttributes={{ 'hx-headers': hxHeaders }}
    >
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          crosstrain
        </a>
        {viewer && (
          <>
            <input type="checkbox" id="nav-toggle" class="nav-toggle" />
            <label for="nav-toggle" class="nav-toggle-label">
              Menu
            </label>
            <MainNav nav={nav} currentPath={currentPath} />
            <div class="account">
              <a href="/account" class="account-name">
                {viewer.name}
              </a>
              <span class="role-tag">{roleLabel(viewer.role)}</span>
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
    </HtmlDocument>
  );
}

const isCurrent = (href: string, currentPath: string) => (href === '/' ? currentPath === '/' : currentPath === href || currentPath.startsWith(`${href}/`));

/**
 * A navigation count. Always in the page (hidden at zero) with a stable id, so that an in-place
 * answer can replace it out of band (`oob`) and the count follows what the person just did.
 */
export function NavCount(props: { id: string; count: number; oob?: boolean }) {
  const oob = props.oob ? { 'hx-swap-oob': 'true' } : {};
  return (
    <>
      {props.count > 0 ? (
        <span class="badge" id={props.id} {...oob}>
          {props.count}
        </span>
      ) : (
        <span class="badge" id={props.id} hidden {...oob}></span>
      )}
      <span class="sr-only" id={`${props.id}-sr`} {...oob}>
        {props.count > 0 ? ' pending' : ''}
      </span>
    </>
  );
}

export const navCountId = (item: Pick<NavItem, 'href'>) => `nav-badge-${item.href.slice(1) || 'home'}`;
export const navGroupCountId = (group: Pick<NavGroup, 'label'>) => `nav-group-badge-${group.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
export const navGroupPending = (group: NavGroup) => group.items.reduce((sum, i) => sum + (i.badge ? Number(i.badge) : 0), 0);

function NavLink({ item, currentPath }: { item: NavItem; currentPath: string }) {
  return (
    <a href={item.href} aria-current={isCurrent(item.href, currentPath) ? 'page' : undefined}>
      {item.label}
      {item.badgeKey && <NavCount id={navCountId(item)} count={item.badge ? Number(item.badge) : 0} />}
    </a>
  );
}

/**
 * The navigation's HTML by what it shows: every page has it, and the same menus, counts and current entry give the
 * same bytes, so a rendering is kept and reused (it depends on its props only, whatever database they came from).
 * Keyed by the current entry rather than the path, so any number of paths makes no more variants than there are
 * entries; at most NAV_KEPT variants are kept.
 */
const renderedNav = new Map<string, HtmlEscapedString>();
const NAV_KEPT = 2000;

function MainNav({ nav, currentPath }: { nav: NavGroup[]; currentPath: string }) {
  const current = nav.flatMap((g) => g.items.filter((i) => isCurrent(i.href, currentPath)).map((i) => i.href));
  const key = JSON.stringify([nav, current]);
  let html = renderedNav.get(key);
  if (html === undefined) {
    html = raw(String(NavMenus({ nav, currentPath })));
    if (renderedNav.size >= NAV_KEPT) renderedNav.clear();
    renderedNav.set(key, html);
  }
  return html;
}

/**
 * The viewer's menus as disclosure widgets: <details>/<summary> open and close with keyboard, announce their
 * state to screen readers and work without JavaScript; app.js only closes the others and answers Escape.
 */
function NavMenus({ nav, currentPath }: { nav: NavGroup[]; currentPath: string }) {
  return (
    <nav aria-label="Main" id="main-nav">
      <ul class="nav-groups">
        {nav.map((group) => {
          if (group.items.length === 1) {
            return (
              <li>
                <NavLink item={group.items[0]!} currentPath={currentPath} />
              </li>
            );
          }
          const current = group.items.some((i) => isCurrent(i.href, currentPath));
          const pending = navGroupPending(group);
          const counted = group.items.some((i) => i.badgeKey);
          return (
            <li>
              <details class={current ? 'nav-menu current' : 'nav-menu'}>
                <summary>
                  {group.label}
                  {counted && <NavCount id={navGroupCountId(group)} count={pending} />}
                </summary>
                <ul>
                  {group.items.map((item) => (
                    <li>
                      <NavLink item={item} currentPath={currentPath} />
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
