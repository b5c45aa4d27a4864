/** Process actions with confirmations: cancel, force cancel (with its manual steps), carrier, facility, reroute. */
import { useState } from 'react';
import { call, get, idempotencyKey } from '../api';
import type { Change, Editability, Order, Page, Plan, Settings } from '../api/client';
import { Dialog, ProblemBox, useAsync } from '../components/ui';
import { Outcome } from './EditOrder';

export type Action =
  'cancelOrder' | 'forceCancelOrder' | 'changeCarrier' | 'assignFacility' | 'reroute';
const LABEL: Record<Action, string> = {
  cancelOrder: 'Cancel order',
  forceCancelOrder: 'Force cancel',
  changeCarrier: 'Change carrier',
  assignFacility: 'Assign to facility',
  reroute: 'Reroute',
};
const OP_REASONS: Partial<Record<Action, keyof Settings['reasons']>> = {
  cancelOrder: 'cancelation',
  forceCancelOrder: 'cancelation',
  reroute: 'reroute',
};

export function ProcessActions({
  order,
  editability,
  open,
  onOpen: setOpen,
  onDone,
}: {
  order: Order;
  editability: Editability | undefined;
  open: Action | null;
  onOpen: (a: Action | null) => void;
  onDone: () => void;
}) {
  if (!editability) return null;
  const actions = (Object.keys(LABEL) as Action[]).filter(
    (a) => editability.operations[a]?.visible !== false,
  );
  if (!actions.length) return null;
  const locked = actions
    .map(
      (a) =>
        [a, (editability.operations[a]?.refusals ?? []).map((r) => r.detail).join(' ')] as const,
    )
    .filter(([a, why]) => !editability.operations[a]?.allowed && why);
  return (
    <div className="process" role="group" aria-label="Process actions">
      {actions.map((a) => {
        const allowed = editability.operations[a];
        return (
          <button
            key={a}
            type="button"
            className={a.includes('ancel') ? 'danger' : undefined}
            disabled={!allowed?.allowed}
            aria-describedby={allowed?.allowed ? undefined : `why-${a}`}
            onClick={() => setOpen(a)}
          >
            {LABEL[a]}
          </button>
        );
      })}
      {locked.length > 0 && (
        <details className="why-locked">
          <summary>
            Why {locked.length === 1 ? 'is one action' : `are ${locked.length} actions`} locked?
          </summary>
          <ul>
            {locked.map(([a, why]) => (
              <li key={a} id={`why-${a}`}>
                <strong>{LABEL[a]}:</strong> {why}
              </li>
            ))}
          </ul>
        </details>
      )}
      {open && (
        <ProcessDialog action={open} order={order} onClose={() => setOpen(null)} onDone={onDone} />
      )}
    </div>
  );
}

function ProcessDialog({
  action,
  order,
  onClose,
  onDone,
}: {
  action: Action;
  order: Order;
  onClose: () => void;
  onDone: () => void;
}) {
  const settings = useAsync(() => get<Settings>('/v1/settings'), []);
  const facilities = useAsync(
    () =>
      get<Page<{ id: string; name: string; shipFromStore: boolean }>>('/v1/facilities?limit=200'),
    [],
  );
  const [reason, setReason] = useState('');
  const [opReason, setOpReason] = useState('');
  const [carrier, setCarrier] = useState('');
  const [facilityId, setFacilityId] = useState('');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [result, setResult] = useState<Change | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const catalogue = OP_REASONS[action];

  const operation = () => ({
    op: action,
    ...(catalogue ? { reasonCode: opReason } : {}),
    ...(action === 'changeCarrier' ? { carrier } : {}),
    ...(action === 'assignFacility' ? { facilityId } : {}),
  });
  const body = () => ({
    operations: [operation()],
    reason: { code: reason },
    expectedVersion: order.version,
    app: 'console',
  });
  const ready =
    reason &&
    (!catalogue || opReason) &&
    (action !== 'changeCarrier' || carrier) &&
    (action !== 'assignFacility' || facilityId);

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setPlan(
        (
          await call<{ plan: Plan }>(`/v1/orders/${order.id}/changes/preview`, {
            method: 'POST',
            body: body(),
          })
        ).data.plan,
      );
    } catch (e) {
      setError(e);
      setPlan(null);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call<Change>(`/v1/orders/${order.id}/changes`, {
        method: 'POST',
        body: body(),
        headers: { prefer: 'wait=10', 'idempotency-key': idempotencyKey() },
      });
      setResult(answer.data);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const manual = (plan?.effects ?? []).filter((e) => e.type === 'MANUAL_STEP');

  return (
    <Dialog title={LABEL[action]} onClose={onClose}>
      {result ? (
        <>
          <Outcome change={result} order={order} />
          {(result.plan?.effects ?? []).filter((e) => e.type === 'MANUAL_STEP').length > 0 && (
            <ManualSteps
              steps={(result.plan?.effects ?? []).filter((e) => e.type === 'MANUAL_STEP')}
            />
          )}
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void (plan ? confirm() : check());
          }}
        >
          {action === 'changeCarrier' && (
            <div className="field">
              <label htmlFor="p-carrier">New carrier</label>
              <input
                id="p-carrier"
                value={carrier}
                onChange={(e) => {
                  setCarrier(e.target.value);
                  setPlan(null);
                }}
                placeholder={order.carrier ?? ''}
              />
            </div>
          )}
          {action === 'assignFacility' && (
            <div className="field">
              <label htmlFor="p-fac">Facility</label>
              <select
                id="p-fac"
                value={facilityId}
                onChange={(e) => {
                  setFacilityId(e.target.value);
                  setPlan(null);
                }}
              >
                <option value="">Choose…</option>
                {facilities.data?.items
                  .filter((f) => f.id !== order.facilityId)
                  .map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                      {f.shipFromStore ? '' : ' (warehouse)'}
                    </option>
                  ))}
              </select>
            </div>
          )}
          {catalogue && (
            <div className="field">
              <label htmlFor="p-opr">
                {action === 'reroute' ? 'Reroute reason' : 'Cancelation reason'}
              </label>
              <select
                id="p-opr"
                value={opReason}
                onChange={(e) => {
                  setOpReason(e.target.value);
                  setPlan(null);
                }}
              >
                <option value="">Choose…</option>
                {settings.data?.reasons[catalogue]?.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label ?? r.code}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="p-reason">Reason for the change</label>
            <select
              id="p-reason"
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setPlan(null);
              }}
            >
              <option value="">Choose…</option>
              {settings.data?.reasons.change?.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label ?? r.code}
                </option>
              ))}
            </select>
          </div>
          <ProblemBox error={error} />
          {plan && (
            <div className="alert alert-warn" role="status">
              <strong>Please confirm.</strong>{' '}
              {action.includes('ancel')
                ? `The order will be canceled; stock is released and ${plan.payments.length ? 'the money given back' : 'no money moves'}.`
                : `Effects: ${plan.effects.map((e) => e.type).join(', ') || 'none'}.`}
              {manual.length > 0 && <ManualSteps steps={manual} />}
            </div>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Back
            </button>
            <button type="submit" className={plan ? 'danger' : 'primary'} disabled={!ready || busy}>
              {plan ? `Confirm: ${LABEL[action].toLowerCase()}` : 'Check'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

type ManualStep = Extract<Plan['effects'][number], { type: 'MANUAL_STEP' }>;

function ManualSteps({ steps }: { steps: Plan['effects'] }) {
  return (
    <div>
      <p>
        <strong>Manual steps</strong> (items already picked):
      </p>
      <ol>
        {steps
          .filter((s): s is ManualStep => s.type === 'MANUAL_STEP')
          .map((s, i) => (
            <li key={i}>
              {String(s.text ?? `${s.action} ${s.quantity} × ${s.sku} at ${s.facilityId}`)}
            </li>
          ))}
      </ol>
    </div>
  );
}
