/**
 * The payment method, before the charge (seed 002): the Edit dialog shows it only while editability
 * says so — once the payment is captured the server hides changePaymentMethod, and so does this.
 * The choices are the methods the tenant's settings say can take an authorization.
 */
export function PaymentMethodField({
  current,
  value,
  settings,
  onChange,
}: {
  current: string;
  value: string;
  settings: { payments?: { methods?: Record<string, { canIncrease?: boolean }> } } | undefined;
  onChange: (method: string) => void;
}) {
  const methods = Object.entries(settings?.payments?.methods ?? {})
    .filter(([m, rule]) => rule.canIncrease || m === current)
    .map(([m]) => m);
  return (
    <div className="field">
      <label htmlFor="e-method">Payment method</label>
      <select id="e-method" value={value} onChange={(e) => onChange(e.target.value)}>
        {(methods.length ? methods : [current]).map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      {value !== current && (
        <p className="small muted">
          Voids the {current} authorization and authorizes {value}; send it as a change of its own.
        </p>
      )}
    </div>
  );
}
