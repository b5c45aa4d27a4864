/**
 * The Edit order dialog (seed 002): every field is shown, locked with the server's reason, or hidden,
 * from the editability answer for this user; a preview comes before submitting; a reason is required;
 * the outcome is shown; a conflict offers reload and retry. The dialog never judges a change itself.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { RiskBadge } from '../components/RiskBadge';
import {
  CustomerNoticePreview,
  type CustomerNoticeView,
} from '../components/CustomerNoticePreview';
import { PaymentMethodField } from '../components/PaymentMethodField';
import { ApiError, call, get, idempotencyKey } from '../api';
import type { Allowed, Change, Editability, Order, Plan, Schemas, Settings } from '../api/client';
import { Dialog, ProblemBox, useAsync } from '../components/ui';
import { ProductSearch, type FoundProduct } from '../components/ProductSearch';

type LineOperation = Exclude<keyof Schemas['LineEditability'], 'limits'>;
import { CHANGE_OUTCOMES, useEvents } from '../events';
import {
  diffSentence,
  effectSentence,
  lineKind,
  lineSide,
  money,
  operationSentence,
  paymentSentence,
  personHint,
  plain,
  type Names,
} from '../format';

type Op = { op: string; [k: string]: unknown };
type Preview = {
  plan: Plan;
  approval: Change['approval'];
  notification?: { customer: CustomerNoticeView };
};
const FINAL = ['applied', 'rejected', 'failed', 'canceled'];
interface LineDraft {
  quantity: number;
  remove: boolean;
  replace: FoundProduct | null;
  replaceQty: number;
}
const untouched = (l: { quantity: number }): LineDraft => ({
  quantity: l.quantity,
  remove: false,
  replace: null,
  replaceQty: l.quantity,
});

const LockIcon = () => (
  <svg className="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
    <path d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z" fill="currentColor" />
  </svg>
);

const reasonOf = (allowed: Allowed | undefined, names: Names = {}) =>
  (allowed?.refusals ?? []).map((r) => plain(r.detail, names)).join(' ') || 'Locked.';

/**
 * A control locked by the server shows why; one the caller may never use is not shown at all.
 * `compact`: the reason is said once for the whole table (and to screen readers per control).
 */
function Gate({
  allowed,
  children,
  label,
  compact,
  names,
}: {
  allowed: Allowed | undefined;
  children: ReactNode;
  label: string;
  compact?: boolean;
  names?: Names;
}) {
  if (!allowed || allowed.visible === false) return null;
  if (allowed.allowed) return <>{children}</>;
  const why = reasonOf(allowed, names);
  return (
    <div className={compact ? 'locked compact' : 'locked'} data-locked={label} title={why}>
      <fieldset disabled aria-describedby={`why-${label}`}>
        {children}
      </fieldset>
      {compact ? (
        <span className="sr-only" id={`why-${label}`}>
          {why}
        </span>
      ) : (
        <p className="why" id={`why-${label}`}>
          <LockIcon /> {why}
        </p>
      )}
      {compact && <LockIcon />}
    </div>
  );
}

export function EditOrderDialog({
  order,
  editability,
  stale,
  onClose,
  onDone,
}: {
  order: Order;
  editability: Editability;
  stale?: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const names: Names = { order };
  const settings = useAsync(() => get<Settings>('/v1/settings'), []);
  const [lines, setLines] = useState<Record<string, LineDraft>>(() =>
    Object.fromEntries(order.lines.map((l) => [l.lineId, untouched(l)])),
  );
  const [address, setAddress] = useState(() => ({
    name: order.shippingAddress.name ?? '',
    street: order.shippingAddress.street ?? '',
    city: order.shippingAddress.city ?? '',
    postalCode: order.shippingAddress.postalCode ?? '',
    country: order.shippingAddress.country ?? '',
  }));
  const [date, setDate] = useState(order.preferredDeliveryDate ?? '');
  // What the dialog opened with: only fields the person changed from these are sent, so a reload
  // after someone else's change never sends their old values back (and undoes that change).
  const [opened] = useState(() => ({ address: { ...address }, date }));
  /** The version a reload was asked from: the notice stays until the new one has arrived. */
  const [reloadingFrom, setReloadingFrom] = useState<number | null>(null);
  const [discount, setDiscount] = useState('');
  const payment = order.payments.find((p) => p.captured === 0) ?? order.payments[0];
  // null until the agent picks one: a reload that brings another payment keeps no stale choice.
  const [method, setMethod] = useState<string | null>(null);
  const [add, setAdd] = useState<{ product: FoundProduct | null; quantity: number }>({
    product: null,
    quantity: 1,
  });
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  // null: the server's default for these operations (the preview's `send`); else the agent's choice.
  const [notify, setNotify] = useState<boolean | null>(null);
  const [result, setResult] = useState<{ status: number; change: Change } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const op = (name: string) => editability.operations[name];
  const lineOp = (lineId: string, name: LineOperation) => editability.lines[lineId]?.[name];

  const lockedLineReasons = [
    ...new Set(
      Object.values(editability.lines).flatMap((ops) =>
        (['setQuantity', 'replaceItem', 'removeItem'] as const)
          .map((name) => ops[name])
          .filter((a) => a && a.visible !== false && !a.allowed)
          .map((a) => reasonOf(a, names)),
      ),
    ),
  ];
  const operations = useMemo<Op[]>(() => {
    const ops: Op[] = [];
    for (const l of order.lines) {
      // A line that arrived with a reload (the order changed meanwhile) starts untouched.
      const d = lines[l.lineId] ?? untouched(l);
      if (d.remove) ops.push({ op: 'removeItem', lineId: l.lineId });
      else if (d.replace)
        ops.push({
          op: 'replaceItem',
          lineId: l.lineId,
          sku: d.replace.sku,
          quantity: d.replaceQty,
        });
      else if (d.quantity !== l.quantity)
        ops.push({ op: 'setQuantity', lineId: l.lineId, quantity: d.quantity });
    }
    if (add.product) ops.push({ op: 'addItem', sku: add.product.sku, quantity: add.quantity });
    const changed = Object.fromEntries(
      Object.entries(address).filter(
        ([k, v]) =>
          v !== opened.address[k as keyof typeof address] &&
          v !== ((order.shippingAddress as Record<string, unknown>)[k] ?? ''),
      ),
    );
    if (Object.keys(changed).length) ops.push({ op: 'setShippingAddress', address: changed });
    if (date && date !== opened.date && date !== order.preferredDeliveryDate)
      ops.push({ op: 'setDeliveryDate', date });
    if (discount && Number(discount) > 0)
      ops.push({ op: 'adjustTotal', discount: Math.round(Number(discount) * 100) });
    if (payment && method !== null && method !== payment.method)
      ops.push({ op: 'changePaymentMethod', paymentId: payment.id, method });
    return ops;
  }, [lines, add, address, date, discount, method, payment, order, opened]);

  const body = () => ({
    operations,
    reason: { code: reasonCode, ...(reasonText ? { text: reasonText } : {}) },
    expectedVersion: order.version,
    app: 'console',
    ...(notify !== null ? { notify: { customer: notify } } : {}),
  });
  const runPreview = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setPreview(
        (
          await call<Preview>(`/v1/orders/${order.id}/changes/preview`, {
            method: 'POST',
            body: body(),
          })
        ).data,
      );
    } catch (err) {
      setPreview(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call<Change>(`/v1/orders/${order.id}/changes`, {
        method: 'POST',
        body: body(),
        headers: { prefer: 'wait=10', 'idempotency-key': idempotencyKey() },
      });
      setResult({ status: answer.status, change: answer.data });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // A change that is not final yet (waiting for a supervisor, or a slow gateway) tells its outcome here.
  const pendingId = result && !FINAL.includes(result.change.status) ? result.change.id : null;
  // Events carry the slim Change (events v2): the whole one is read by id.
  useEvents(pendingId ? `changeId=${pendingId}` : null, CHANGE_OUTCOMES, (event) => {
    if (!event.changeId) return;
    void get<Change>(`/v1/changes/${event.changeId}`).then((change) =>
      setResult((r) => (r ? { ...r, change } : r)),
    );
  });
  const reloading = reloadingFrom !== null && reloadingFrom === order.version;
  const conflict = (error instanceof ApiError && error.status === 412) || stale || reloading;
  const setLine = (id: string, patch: Partial<LineDraft>) => {
    setLines((ls) => ({
      ...ls,
      [id]: {
        ...(ls[id] ?? untouched(order.lines.find((l) => l.lineId === id) ?? { quantity: 1 })),
        ...patch,
      },
    }));
    setPreview(null);
    setError(null);
  };
  // Any edit makes the last preview and the last refusal stale.
  const edited = (fn: () => void) => {
    fn();
    setPreview(null);
    setError(null);
  };
  const unsaved = operations.length > 0 || reasonText !== '';
  const products = new Map(
    [add.product, ...Object.values(lines).map((d) => d.replace)]
      .filter((p): p is FoundProduct => p !== null)
      .map((p) => [p.sku, p.name]),
  );
  const planNames: Names = { order, products };

  if (result)
    return (
      <Dialog title="Edit order" onClose={onClose}>
        <Outcome change={result.change} order={order} />
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </Dialog>
    );

  return (
    <Dialog title="Edit order" onClose={onClose} wide unsaved={unsaved}>
      <form onSubmit={runPreview} className="edit-form">
        <section aria-labelledby="e-lines">
          <h3 id="e-lines">Lines</h3>
          {lockedLineReasons.length > 0 && (
            <p className="why">
              <LockIcon /> Locked: {lockedLineReasons.join(' ')}
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Quantity</th>
                <th scope="col">Substitute</th>
                <th scope="col">Remove</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((l) => {
                const d = lines[l.lineId] ?? untouched(l);
                return (
                  <tr key={l.lineId}>
                    <td>
                      {l.name} <span className="muted small">{l.sku}</span>
                    </td>
                    <td>
                      <Gate
                        allowed={lineOp(l.lineId, 'setQuantity')}
                        label={`qty-${l.lineId}`}
                        names={names}
                        compact
                      >
                        <input
                          type="number"
                          min={1}
                          aria-label={`Quantity of ${l.name}`}
                          value={d.quantity}
                          disabled={d.remove || !!d.replace}
                          onChange={(e) => setLine(l.lineId, { quantity: Number(e.target.value) })}
                        />
                      </Gate>
                    </td>
                    <td>
                      <Gate
                        allowed={lineOp(l.lineId, 'replaceItem')}
                        label={`sub-${l.lineId}`}
                        names={names}
                        compact
                      >
                        <ProductSearch
                          label={`Substitute for ${l.name}`}
                          hideLabel
                          placeholder="Search a substitute"
                          facilityId={order.facilityId}
                          first={l.allowedSubstitutes}
                          picked={d.replace}
                          onPick={(p) => setLine(l.lineId, { replace: p })}
                        />
                      </Gate>
                    </td>
                    <td>
                      <Gate
                        allowed={lineOp(l.lineId, 'removeItem')}
                        label={`rm-${l.lineId}`}
                        names={names}
                        compact
                      >
                        <input
                          type="checkbox"
                          aria-label={`Remove ${l.name}`}
                          checked={d.remove}
                          onChange={(e) => setLine(l.lineId, { remove: e.target.checked })}
                        />
                      </Gate>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Gate allowed={op('addItem')} label="addItem">
            <div className="row">
              <div className="field grow">
                <ProductSearch
                  label="Add item"
                  facilityId={order.facilityId}
                  picked={add.product}
                  onPick={(p) => edited(() => setAdd((a) => ({ ...a, product: p })))}
                />
              </div>
              <div className="field">
                <label htmlFor="add-qty">Quantity</label>
                <input
                  id="add-qty"
                  type="number"
                  min={1}
                  value={add.quantity}
                  onChange={(e) =>
                    edited(() => setAdd({ ...add, quantity: Number(e.target.value) }))
                  }
                />
              </div>
            </div>
          </Gate>
        </section>
        <Gate allowed={op('setShippingAddress')} label="setShippingAddress">
          <section aria-labelledby="e-addr">
            <h3 id="e-addr">Shipping address</h3>
            <div className="row wrap">
              {(['name', 'street', 'postalCode', 'city', 'country'] as const).map((f) => (
                <div className="field" key={f}>
                  <label htmlFor={`addr-${f}`}>
                    {
                      {
                        name: 'Name',
                        street: 'Street',
                        postalCode: 'Postal code',
                        city: 'City',
                        country: 'Country',
                      }[f]
                    }
                  </label>
                  <input
                    id={`addr-${f}`}
                    value={address[f]}
                    onChange={(e) => edited(() => setAddress({ ...address, [f]: e.target.value }))}
                    size={f === 'street' ? 24 : 12}
                  />
                </div>
              ))}
            </div>
          </section>
        </Gate>
        <div className="row wrap">
          <Gate allowed={op('setDeliveryDate')} label="setDeliveryDate">
            <div className="field">
              <label htmlFor="e-date">Preferred delivery date</label>
              <input
                id="e-date"
                type="date"
                value={date}
                onChange={(e) => edited(() => setDate(e.target.value))}
              />
            </div>
          </Gate>
          {payment && (
            <Gate allowed={op('changePaymentMethod')} label="changePaymentMethod">
              <PaymentMethodField
                current={payment.method}
                value={method ?? payment.method}
                settings={settings.data as Parameters<typeof PaymentMethodField>[0]['settings']}
                onChange={(m) => edited(() => setMethod(m))}
              />
            </Gate>
          )}
          <Gate allowed={op('adjustTotal')} label="adjustTotal">
            <div className="field">
              <label htmlFor="e-disc">Extra discount ({order.currency})</label>
              <input
                id="e-disc"
                type="number"
                min={0}
                step="0.01"
                value={discount}
                onChange={(e) => edited(() => setDiscount(e.target.value))}
              />
            </div>
          </Gate>
        </div>
        <section aria-labelledby="e-reason" className="reason">
          <h3 id="e-reason">Why</h3>
          <div className="row wrap">
            <div className="field">
              <label htmlFor="e-rc">Reason (required)</label>
              <select
                id="e-rc"
                required
                value={reasonCode}
                onChange={(e) => setReasonCode(e.target.value)}
              >
                <option value="">Choose a reason…</option>
                {settings.data?.reasons.change?.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label ?? r.code}
                  </option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor="e-rt">Note</label>
              <input
                id="e-rt"
                value={reasonText}
                onChange={(e) => setReasonText(e.target.value)}
                placeholder="e.g. Customer called"
              />
            </div>
          </div>
        </section>
        {conflict ? (
          <div className="alert alert-warn" role="alert">
            <strong>The order changed meanwhile</strong>
            {error instanceof ApiError && error.problem.currentVersion !== undefined
              ? ` (it is now at version ${String(error.problem.currentVersion)})`
              : ''}
            . Your edits are kept; reload to preview them on the current order.
            <div className="dialog-actions">
              <button
                type="button"
                className="primary"
                disabled={reloading}
                onClick={() => {
                  setError(null);
                  setPreview(null);
                  setReloadingFrom(order.version);
                  onDone();
                }}
              >
                {reloading ? 'Reloading…' : 'Reload the order and try again'}
              </button>
            </div>
          </div>
        ) : (
          <ProblemBox error={error} names={planNames} />
        )}
        {preview && (
          <PlanView
            plan={preview.plan}
            approval={preview.approval}
            names={planNames}
            operations={operations}
          />
        )}
        {preview?.notification && (
          <CustomerNoticePreview
            notice={preview.notification.customer}
            checked={notify ?? preview.notification.customer.send}
            onChange={setNotify}
          />
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || operations.length === 0 || !reasonCode}>
            {busy && !preview ? 'Previewing…' : 'Preview'}
          </button>
          <button type="button" className="primary" disabled={busy || !preview} onClick={apply}>
            {busy && preview
              ? 'Applying…'
              : preview?.approval?.required
                ? 'Send for approval'
                : 'Apply change'}
          </button>
        </div>
        {operations.length === 0 && (
          <p className="muted small">Change a field to preview the change.</p>
        )}
      </form>
    </Dialog>
  );
}

const TOTALS = {
  items: 'Items',
  discounts: 'Discounts',
  shipping: 'Shipping',
  tax: 'Tax (included)',
  grandTotal: 'Grand total',
} as const;

/** The plan in words: what changes on the order, the totals, what the customer pays, what follows. */
export function PlanView({
  plan,
  approval,
  names,
  operations,
}: {
  plan: Plan;
  approval: Change['approval'];
  names: Names;
  operations: Op[];
}) {
  const c = names.order?.currency ?? 'EUR';
  return (
    <section className="plan" aria-labelledby="p-h" aria-live="polite">
      <h3 id="p-h">Preview</h3>
      <ul className="plain diff-list">
        {plan.lines.map((l, i) => (
          <li key={`l${i}`}>
            <span className="tag">{lineKind(l.kind)}</span> {lineSide(l.old, names)} →{' '}
            <strong>{lineSide(l.new, names)}</strong>
          </li>
        ))}
        {plan.fields
          .filter((f) => !/^(lines|payments)\./.test(f.path))
          .map((f, i) => (
            <li key={`f${i}`}>{diffSentence(f.path, f.old, f.new, names)}</li>
          ))}
      </ul>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Total</th>
            <th scope="col" className="num">
              Before
            </th>
            <th scope="col" className="num">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(TOTALS) as (keyof typeof TOTALS)[]).map((k) => (
            <tr key={k} className={k === 'grandTotal' ? 'grand' : undefined}>
              <th scope="row">{TOTALS[k]}</th>
              <td className="num">{money(plan.totals.before[k], c)}</td>
              <td className="num">{money(plan.totals.after[k], c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.totals.byCause.length > 1 && (
        <p className="small">
          By change:{' '}
          {plan.totals.byCause
            .map((b) => {
              const op = operations[b.operationIndex];
              return `${op ? operationSentence(op, names) : 'other'} ${b.amount >= 0 ? '+' : '−'}${money(Math.abs(b.amount), c)}`;
            })
            .join(' · ')}
        </p>
      )}
      <p className="money-moves">
        {plan.payments.length
          ? plan.payments.map((p) => paymentSentence(p, c)).join(' · ')
          : 'No money moves.'}
      </p>
      {plan.effects.length > 0 && (
        <p className="small">
          Then: {[...new Set(plan.effects.map((e) => effectSentence(e)))].join('; ')}.
        </p>
      )}
      <RiskBadge risk={approval?.risk} />
      {approval?.required && (
        <div className="alert alert-warn">
          A supervisor must approve this change:{' '}
          {approval.reasons.map((r) => plain(r.detail, names)).join(' ')}
        </div>
      )}
    </section>
  );
}

/** A change's outcome: what happened, the new total, what the customer was charged or refunded. */
export function Outcome({ change, order }: { change: Change; order?: Names['order'] }) {
  const names: Names = { order };
  const c = order?.currency ?? 'EUR';
  const kind =
    change.status === 'applied'
      ? 'ok'
      : ['rejected', 'failed', 'canceled'].includes(change.status)
        ? 'error'
        : 'info';
  const headline: Record<string, string> = {
    applied: 'Applied — the order is updated.',
    rejected: 'Rejected — the order stays as it was.',
    failed: 'Failed — the order stays as it was.',
    canceled: 'Canceled.',
    'awaiting-approval': 'Waiting for a supervisor’s approval.',
    'awaiting-seller': 'Waiting for the seller’s confirmation.',
  };
  const plan = change.plan;
  const hint = change.outcome
    ? personHint(change.outcome.code, change.outcome.nextStep)
    : undefined;
  return (
    <div className={`alert alert-${kind}`} role="status" aria-live="polite">
      <strong>{headline[change.status] ?? 'In progress.'}</strong>{' '}
      <span className="muted small">{change.ticket}</span>
      {change.status === 'applied' && plan && (
        <p>
          New total {money(plan.totals.after.grandTotal, c)} (was{' '}
          {money(plan.totals.before.grandTotal, c)}).{' '}
          {plan.payments.length
            ? plan.payments.map((p) => paymentSentence(p, c)).join(' · ') + '.'
            : 'No money moved.'}
        </p>
      )}
      {change.outcome && change.status !== 'applied' && (
        <p>{plain(change.outcome.detail, names)}</p>
      )}
      {change.outcome && change.status !== 'applied' && hint && (
        <p className="hint">What to do: {plain(hint, names)}</p>
      )}
      {change.status === 'awaiting-approval' && change.approval && (
        <p>{change.approval.reasons.map((r) => plain(r.detail, names)).join(' ')}</p>
      )}
      <RiskBadge risk={change.approval?.risk} detailed={false} />
    </div>
  );
}
