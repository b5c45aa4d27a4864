/** The console's shell: sign-in, navigation by role, and the pages. */
import { useEffect, useRef, useState } from 'react';
import { ApiError, get, session } from './api';
import { Link, navigate, useLocation } from './router';
import type { Change, InboxEntry, Me, Page } from './api/client';
import { CHANGE_OUTCOMES, useEvents } from './events';
import { person } from './format';
import { ProblemBox, useAsync } from './components/ui';
import { InboxPage } from './pages/InboxPage';
import { SignIn } from './pages/SignIn';
import { OrdersPage } from './pages/Orders';
import { OrderPage } from './pages/Order';
import { ApprovalsPage } from './pages/Approvals';
import { BulkPage } from './pages/Bulk';
import { BulkJobPage } from './pages/BulkJobPage';
import { KpiPage } from './pages/Kpis';
import { PickerPage } from './pages/Picker';
import { IntakePage } from './pages/Intake';

/**
 * The routed page renders as soon as a key is known, so its data requests start beside `/v1/me`
 * instead of after it (issue 17 point 6): only what needs the user (the navigation by permission, the
 * name, the approvals count and the shell's event stream) waits for `/v1/me`. A 401 still signs out.
 */
export function App() {
  const url = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState(session.key());

  useEffect(() => {
    setMe(null);
    if (!key) return;
    let live = true;
    get<Me>('/v1/me').then(
      (m) => {
        if (live) setMe({ ...m, ...(session.name() ? { name: session.name() as string } : {}) });
      },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) {
          session.signOut();
          setKey(null);
        } else setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  // My outcomes and, for a supervisor, the changes waiting for approval, counted in the navigation:
  // live from one event stream for the shell, and read again on every page change.
  const [inboxTick, setInboxTick] = useState(0);
  const onConsole = key !== null && !url.pathname.startsWith('/picker');
  const console_ = me !== null && onConsole;
  const approver = me?.permissions.includes('CHANGE_APPROVE') ?? false;
  const unread = useAsync(
    () =>
      onConsole
        ? get<Page<InboxEntry>>('/v1/inbox?unacknowledged=true&limit=100')
        : Promise.resolve(null),
    [onConsole, key, inboxTick, url.pathname],
  );
  const waiting = useAsync(
    () => (console_ && approver ? get<Page<Change>>('/v1/approvals') : Promise.resolve(null)),
    [console_, approver, inboxTick, url.pathname],
  );
  const bump = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEvents(
    console_ ? (approver ? '' : 'mine=true') : null,
    [...CHANGE_OUTCOMES, 'CHANGE_APPROVED'],
    () => {
      clearTimeout(bump.current);
      bump.current = setTimeout(() => setInboxTick((t) => t + 1), 400);
    },
  );
  useEffect(() => {
    if (!console_) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setInboxTick((t) => t + 1);
    }, 30_000);
    return () => clearInterval(timer);
  }, [console_]);

  // A new page: its name in the title, and focus on the content so that a screen reader starts there.
  const first = useRef(true);
  useEffect(() => {
    const section = url.pathname.split('/')[1] ?? '';
    const names: Record<string, string> = {
      orders: 'Orders',
      approvals: 'Approvals',
      bulk: 'Bulk edit',
      kpis: 'KPIs',
      intake: 'Intake',
      inbox: 'Inbox',
      picker: 'Picker',
    };
    const order = /^\/orders\/([^/]+)/.exec(url.pathname)?.[1];
    document.title = `${order ? `Order ${decodeURIComponent(order)}` : (names[section] ?? 'Orders')} · Amend`;
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [url.pathname]);

  const signIn = (k: string, role?: string, name?: string) => {
    session.signIn(k, name);
    setKey(k);
    if (role === 'picker' && !url.pathname.startsWith('/picker')) navigate('/picker', true);
  };
  const signOut = () => {
    session.signOut();
    setKey(null);
    setMe(null);
    navigate('/', true);
  };

  if (!key) return <SignIn onSignIn={signIn} />;
  if (error)
    return (
      <main className="page">
        <ProblemBox error={error} title="Amend could not be reached" />
      </main>
    );

  const path = url.pathname;
  if (path.startsWith('/picker')) return <PickerPage me={me} onSignOut={signOut} />;
  // Until /v1/me answers nobody may do more than everybody may: read orders and their own inbox.
  const can = (p: string) =>
    (me?.permissions as readonly string[] | undefined)?.includes(p) ?? false;
  const nav = [
    { to: '/orders', label: 'Orders', show: true },
    {
      to: '/approvals',
      label: `Approvals${waiting.data?.items.length ? ` (${waiting.data.items.length}${waiting.data.nextCursor ? '+' : ''})` : ''}`,
      show: can('CHANGE_APPROVE'),
    },
    { to: '/bulk', label: 'Bulk edit', show: can('BULK_WRITE') },
    { to: '/kpis', label: 'KPIs', show: can('KPI_READ') },
    { to: '/intake', label: 'Intake', show: can('INTAKE_READ') },
    {
      to: '/inbox',
      label: `Inbox${unread.data?.items.length ? ` (${unread.data.items.length}${unread.data.nextCursor ? '+' : ''})` : ''}`,
      show: true,
    },
    { to: '/picker', label: 'Picker view', show: me?.role === 'picker' || me?.role === 'admin' },
  ].filter((n) => n.show);
  const orderId = /^\/orders\/([^/]+)/.exec(path)?.[1];

  const bulkJobId = /^\/bulk\/jobs\/([^/]+)/.exec(path)?.[1];

  let page;
  if (orderId) page = <OrderPage id={decodeURIComponent(orderId)} />;
  else if (path.startsWith('/approvals')) page = <ApprovalsPage me={me} />;
  else if (bulkJobId) page = <BulkJobPage id={decodeURIComponent(bulkJobId)} />;
  else if (path.startsWith('/bulk')) page = <BulkPage url={url} />;
  else if (path.startsWith('/kpis')) page = <KpiPage />;
  else if (path.startsWith('/intake')) page = <IntakePage canAdminSources={can('SOURCE_ADMIN')} />;
  else if (path.startsWith('/inbox'))
    page = <InboxPage tick={inboxTick} onAck={() => setInboxTick((t) => t + 1)} />;
  else page = <OrdersPage url={url} canBulk={can('BULK_WRITE')} />;

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/orders" className="brand" aria-label="Amend, orders">
          Amend
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link
                  to={n.to}
                  aria-current={
                    path.startsWith(n.to) || (n.to === '/orders' && path === '/')
                      ? 'page'
                      : undefined
                  }
                >
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {me ? (
            <span>
              {me.name ?? person(me.actorId)} · {me.role}
            </span>
          ) : (
            <span className="muted" role="status">
              {session.name() ?? 'Signing in'}…
            </span>
          )}
          <button type="button" className="ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
